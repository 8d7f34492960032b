// A deliberate namespace cycle for NamespaceCycleTests: Upper names Lower only inside a method
// body (no field, signature or base type does), Lower names Upper in a signature.
namespace Radar.Core.Tests.Architecture.CycleFixture.Upper
{
    public sealed class Caller
    {
        public override string ToString() => new Lower.Callee().Name;
    }
}

namespace Radar.Core.Tests.Architecture.CycleFixture.Lower
{
    public sealed class Callee
    {
        public string Name => nameof(Callee);

        public static bool Accepts(Upper.Caller caller) => caller is not null;
    }
}
