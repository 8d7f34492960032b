using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Search.Replication;
using Radar.Core.Storage;

namespace Radar.Functions.Http;

/// <summary><c>POST /api/admin/reindex</c>: rebuilds the index from the tables (every radar's
/// measures and changes, every news item), publishes it for every instance, and answers what it
/// indexed (documents per type), the commit and how long it took. 409 while another writer holds
/// the index lease for longer than <c>Radar__Search__LeaseWait</c>.</summary>
public sealed class AdminReindexFunction(IndexUpdater updater)
{
    [Function("AdminReindex")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/reindex")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        IndexPublishReport report;
        try
        {
            report = await updater.RebuildAsync("reindex requested through the admin API", cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or StorageMisconfiguredException or SnapshotConflictException)
        {
            return Problems.Unavailable($"The reindex did not complete: {ex.Message}", TimeSpan.FromSeconds(30));
        }

        if (report.Outcome == IndexOutcomes.LeaseTimeout)
        {
            var holder = report.Holder;
            return Problems.Conflict(
                $"The index is being written by {holder?.Owner}" + (holder?.Since is { } since ? $" since {since:u}." : ".") + " Try again when it has finished.",
                new Dictionary<string, object?> { ["holder"] = holder?.Owner, ["since"] = holder?.Since });
        }

        return TypedResults.Ok(report);
    }
}
