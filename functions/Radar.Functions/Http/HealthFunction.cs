using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Health;

namespace Radar.Functions.Http;

public sealed class HealthFunction(HealthService health)
{
    [Function("Health")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (!report.StorageReachable)
        {
            return Problems.Unavailable(
                report.Storage.Error ?? "Storage is not reachable.",
                TimeSpan.FromSeconds(10),
                new Dictionary<string, object?> { ["setting"] = report.Storage.Setting, ["health"] = report });
        }

        return TypedResults.Ok(report);
    }
}
