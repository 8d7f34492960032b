using Microsoft.Extensions.Logging;
using Radar.Core.Measures;
using Radar.Core.News;
using Radar.Core.Search.Replication;

namespace Radar.Core.Search.Serving;

/// <summary>
/// Feeds the index from the ingests: told what a measures run or a news import wrote, it maps
/// that onto search documents and hands them to the <see cref="IndexUpdater"/> (one write
/// session, one published commit per run). A measure that left its source is taken out of the
/// index as a measure — citizens searching find what is on the radar — while its changes, the
/// removal among them, stay findable; a restored measure comes back.
/// </summary>
public sealed class IndexFeed(
    IndexUpdater updater,
    IndexReplica replica,
    MeasureStore store,
    EditionStore editions,
    DefaultRadar defaultRadar,
    RelatedScope scope,
    IEnumerable<IIndexPublishedListener> listeners,
    ILogger<IndexFeed> logger)
    : IMeasureChangeListener, INewsChangeListener
{
    /// <summary>How long a write waits for this instance's replica to load what it published.</summary>
    public static readonly TimeSpan VisibleWait = TimeSpan.FromSeconds(30);

    public async Task MeasuresChangedAsync(MeasureWriteSet written, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(written);
        var defaultId = await defaultRadar.IdAsync(cancellationToken);
        var upserts = new List<SearchDocument>();
        var deletes = new List<IndexKey>();
        foreach (var (radar, writes) in written.Radars)
        {
            foreach (var write in writes)
            {
                var state = write.State;
                if (state.Removed)
                {
                    deletes.Add(new IndexKey(SearchDocumentTypes.Measure, state.Measure.Id, state.RadarId));
                }
                else
                {
                    upserts.Add(SearchDocumentMapper.Measure(state, radar, defaultId));
                }

                if (write.Change is { } change)
                {
                    upserts.Add(SearchDocumentMapper.Change(change, radar, state.Measure, defaultId));
                }
            }
        }

        // The read model of every radar the write touched, read back from the tables (the radar,
        // its editions, every measure with history and states: small), in the same commit.
        // Records the loaded snapshot already holds as they are are left alone.
        var loaded = LoadedRecords();
        foreach (var radar in written.Radars.Select(r => r.Radar.Id).Distinct(StringComparer.Ordinal))
        {
            upserts.AddRange((await ReadRecords.ReadAsync(store, editions, radar, cancellationToken))
                .Where(record => loaded is null || !loaded.Contains(record.Record!)));
        }

        var changes = new IndexChanges(upserts, deletes,
            written.Incomplete ? "a measures ingest may have written more than it could report (a concurrent writer)" : null);
        await VisibleAsync("measures", await updater.ApplyAsync(changes, cancellationToken), cancellationToken);
    }

    public Task NewsChangedAsync(IReadOnlyList<NewsItem> changed, CancellationToken cancellationToken) =>
        NewsChangedAsync(changed, null, cancellationToken);

    /// <summary>All of a news run in one update (one write session, one published commit), or a
    /// rebuild from the tables when a run before it was cut short.</summary>
    public async Task NewsChangedAsync(IReadOnlyList<NewsItem> changed, string? rebuildBecause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var upserts = new List<SearchDocument>(changed.Count);
        if (rebuildBecause is null)
        {
            foreach (var item in changed)
            {
                upserts.Add(SearchDocumentMapper.News(item, await scope.RadarOfAsync(item, cancellationToken)));
            }
        }

        await VisibleAsync("news", await updater.ApplyAsync(new IndexChanges(upserts, [], rebuildBecause), cancellationToken), cancellationToken);
    }

    // The records of the snapshot loaded now, as JSON (which names what it is); null when none is loaded.
    private HashSet<string>? LoadedRecords()
    {
        using var use = replica.Acquire();
        return use is null ? null : [.. use.Index.ReadRecords(ReadRecords.RadarKind, ReadRecords.MeasureKind).Records];
    }

    // What an ingest or admin write published is what this instance answers when the write
    // returns (other instances follow within the refresh interval).
    private async Task VisibleAsync(string what, IndexPublishReport report, CancellationToken cancellationToken)
    {
        if (report.Outcome is IndexOutcomes.Published or IndexOutcomes.Rebuilt && report.Lineage is { } lineage
            && !await replica.WaitForAsync(lineage, report.Generation, VisibleWait, cancellationToken))
        {
            logger.LogWarning("This instance had not loaded generation {Generation} of {Lineage} {Seconds} s after publishing it", report.Generation, lineage, VisibleWait.TotalSeconds);
        }
        // Listeners (the WebSub hub) come after: they render what this instance now serves.
        await ReportAsync(what, report, cancellationToken);
    }

    private async Task ReportAsync(string what, IndexPublishReport report, CancellationToken cancellationToken)
    {
        if (report.Outcome is IndexOutcomes.Published or IndexOutcomes.Rebuilt)
        {
            foreach (var listener in listeners)
            {
                try
                {
                    await listener.PublishedAsync(report, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "{Listener} failed after the {What} ingest published generation {Generation}", listener.GetType().Name, what, report.Generation);
                }
            }
        }

        if (report.Outcome == IndexOutcomes.LeaseTimeout)
        {
            logger.LogWarning("Index not updated after the {What} ingest: {Holder} held the index lease too long; the snapshot is marked stale and will be rebuilt",
                what, report.Holder?.Owner);
        }
    }
}
