using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.News;

namespace Radar.Functions.Http;

/// <summary><c>POST /api/admin/ingest/news</c>: ingest every news source now (back-off is ignored,
/// unchanged feeds answer 304) and answer the per-source report. <c>?force=true</c> fetches and
/// compares everything in full. 409 while another run (timer, another instance) holds the news
/// ingest lease.</summary>
public sealed class AdminIngestNewsFunction(NewsIngestService ingest)
{
    [Function("AdminIngestNews")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/ingest/news")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (AdminIngest.ReadMode(request, out var problem) is not { } mode)
        {
            return problem;
        }

        var report = await ingest.RunAsync(mode, cancellationToken);
        return AdminIngest.Answer(request, "news", report.AlreadyRunning, report);
    }
}
