using Azure;
using Azure.Data.Tables;
using Radar.Core.Storage;

namespace Radar.Core.News;

/// <summary>A news run that started writing and has not told the search index yet.</summary>
public sealed record NewsRunInProgress(string Owner, DateTimeOffset Since);

/// <summary>
/// The row <c>NewsItems</c> (<c>state</c>, <c>run</c>): written before a run's first batch, removed
/// once the run has told the search index what it wrote. A run cut short in between (storage gone,
/// the process killed) leaves it; the next run then has the index rebuilt from the tables, because
/// what the cut-short run stored is in the tables but may not be in the index — and the next run
/// finds those items unchanged, so it would not tell the index about them.
/// </summary>
public sealed class NewsRunMarker(RadarStorage storage)
{
    public async Task<NewsRunInProgress?> ReadAsync(CancellationToken cancellationToken)
    {
        var items = await storage.GetTableAsync(NewsTables.Items, cancellationToken);
        var row = await NewsStore.GetRowAsync(items, NewsTables.StatePartition, NewsTables.RunRow, cancellationToken);
        return row is null ? null : new NewsRunInProgress(row.GetString("Owner") ?? "unknown", row.GetDateTimeOffset("Since") ?? DateTimeOffset.MinValue);
    }

    public async Task WriteAsync(NewsRunInProgress run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var items = await storage.GetTableAsync(NewsTables.Items, cancellationToken);
        await items.UpsertEntityAsync(new TableEntity(NewsTables.StatePartition, NewsTables.RunRow)
        {
            ["Kind"] = "state",
            ["Owner"] = run.Owner,
            ["Since"] = run.Since,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        var items = await storage.GetTableAsync(NewsTables.Items, cancellationToken);
        try
        {
            await items.DeleteEntityAsync(NewsTables.StatePartition, NewsTables.RunRow, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }
}
