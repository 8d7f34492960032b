using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Measures;

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
        if (AdminIngest.ReadMode(request, out var problem) is not { } mode)
        {
            return problem;
        }

        var report = await ingest.RunAsync(mode, cancellationToken);
        return AdminIngest.Answer(request, "measures", report.AlreadyRunning, report);
    }
}
