using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Ingest;
using Radar.Core.Measures.Ingest;
using Radar.Core.News;
using Radar.Core.Search.Replication;
using Radar.Core.Sources;
using Radar.Core.Storage;
using Radar.Functions.Web;

namespace Radar.Functions.Admin;

/// <summary>
/// The admin writes (function key), one shape: a run now, answered with its report, or 409 while
/// another run (timer, another instance) holds the lease, naming the holder and since when.
/// <list type="bullet">
/// <item><c>POST /api/admin/ingest/measures</c>, <c>POST /api/admin/ingest/news</c>: every source
/// now (back-off ignored, unchanged sources answer 304); <c>?force=true</c> fetches and compares
/// everything in full.</item>
/// <item><c>POST /api/admin/reindex</c>: the index rebuilt from the tables and published for
/// every instance; 409 while another writer holds the index lease longer than
/// <c>Radar__Search__LeaseWait</c>.</item>
/// </list>
/// </summary>
public sealed class AdminIngestFunctions(MeasureIngestService measures, NewsIngestService news, IndexUpdater index)
{
    [Function("AdminIngestMeasures")]
    public Task<IResult> Measures(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/ingest/measures")] HttpRequest request,
        CancellationToken cancellationToken) =>
        IngestAsync(request, "measures", mode => measures.RunAsync(mode, cancellationToken), report => report.AlreadyRunning);

    [Function("AdminIngestNews")]
    public Task<IResult> News(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/ingest/news")] HttpRequest request,
        CancellationToken cancellationToken) =>
        IngestAsync(request, "news", mode => news.RunAsync(mode, cancellationToken), report => report.AlreadyRunning);

    [Function("AdminReindex")]
    public async Task<IResult> Reindex(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/reindex")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        IndexPublishReport report;
        try
        {
            report = await index.RebuildAsync("reindex requested through the admin API", cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or StorageMisconfiguredException or SnapshotConflictException)
        {
            return WebAnswer.Error(Problem.Unavailable($"The reindex did not complete: {ex.Message}", TimeSpan.FromSeconds(30)), ResponsePolicy.Admin);
        }

        return Answer(report, report.Outcome == IndexOutcomes.LeaseTimeout ? report.Holder ?? IngestLeaseHolder.Unknown : null, "The index is being written by");
    }

    private static async Task<IResult> IngestAsync<T>(HttpRequest request, string kind, Func<SourceRunMode, Task<T>> run, Func<T, IngestLeaseHolder?> holder)
    {
        var query = QueryBinder.For(request);
        var mode = query.RunMode();
        if (!query.IsValid)
        {
            return WebAnswer.Error(Problem.InvalidQuery(query.Errors), ResponsePolicy.Admin);
        }

        T report;
        try
        {
            report = await run(mode);
        }
        catch (OperationCanceledException) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The run stopped itself: it lost its lease (storage did not answer a renewal in time),
            // so that no second writer can overlap it. Batches written are kept; a new run reads
            // what is stored and goes on from there.
            return WebAnswer.Error(Problem.Unavailable(
                $"The {kind} ingest run stopped before it finished: its lease could not be renewed in time (storage too slow or out of reach). What it wrote is kept; run it again to finish.",
                TimeSpan.FromSeconds(30)), ResponsePolicy.Admin);
        }

        return Answer(report, holder(report), $"The {kind} ingest is already running on");
    }

    private static WebAnswer Answer<T>(T report, IngestLeaseHolder? holder, string running) =>
        holder is null
            ? WebAnswer.Json(report, ResponsePolicy.Admin)
            : WebAnswer.Error(Problem.AlreadyRunning(running, holder.Owner, holder.Since), ResponsePolicy.Admin);
}
