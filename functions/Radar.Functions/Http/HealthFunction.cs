using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Health;

namespace Radar.Functions.Http;

public sealed class HealthFunction(HealthService health)
{
    [Function("Health")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (HttpMethods.IsOptions(request.Method))
        {
            return PublicGet.Uncached(request, Results.NoContent());
        }

        // Health is live state: never cached, but readable from any origin like every public GET.
        var report = await health.CheckAsync(cancellationToken);
        if (!report.StorageReachable)
        {
            return PublicGet.Error(Problems.Unavailable(
                report.Storage.Error ?? "Storage is not reachable.",
                TimeSpan.FromSeconds(10),
                new Dictionary<string, object?> { ["setting"] = report.Storage.Setting, ["health"] = report }));
        }

        return PublicGet.Uncached(request, TypedResults.Ok(report));
    }
}
