[assembly: AssemblyFixture(typeof(AzuriteFixture))]
[assembly: AssemblyFixture(typeof(Radar.Browser.Tests.BrowserFixture))]

namespace Radar.Browser.Tests;

/// <summary>One Radar (<see cref="SiteFixture"/>) for every browser test class; the classes run
/// one after another, which suits a small machine.</summary>
[CollectionDefinition(Name)]
public sealed class SiteCollection : ICollectionFixture<SiteFixture>
{
    public const string Name = "site";
}
