using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Measures;
using Radar.Core.Sources;

namespace Radar.Functions.Http;

/// <summary><c>POST /api/admin/ingest/measures</c>: ingest every measure source now (back-off is
/// ignored, unchanged sources answer 304) and answer the per-source report.
/// <c>?force=true</c> fetches and compares everything in full. 409 while another run (timer,
/// another instance) holds the measures ingest lease.</summary>
public sealed class AdminIngestMeasuresFunction(MeasureIngestService ingest)
{
    [Function("AdminIngestMeasures")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/ingest/measures")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var force = request.Query["force"].ToString();
        if (force.Length > 0 && !bool.TryParse(force, out _))
        {
            return Problems.BadRequest("'force' must be true or false.");
        }

        var mode = bool.TryParse(force, out var full) && full ? SourceRunMode.Full : SourceRunMode.Now;
        var report = await ingest.RunAsync(mode, cancellationToken);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (report.AlreadyRunning is { } holder)
        {
            return Problems.Conflict(
                $"The measures ingest is already running on {holder.Owner}" +
                (holder.Since is { } since ? $" since {since:u}." : ".") + " Try again when it has finished.",
                new Dictionary<string, object?> { ["holder"] = holder.Owner, ["since"] = holder.Since });
        }

        return TypedResults.Ok(report);
    }
}
