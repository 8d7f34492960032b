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
    IndexUpdater updater, DefaultRadar defaultRadar, RelatedScope scope, IEnumerable<IIndexPublishedListener> listeners, ILogger<IndexFeed> logger)
    : IMeasureChangeListener, INewsChangeListener
{
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

        var changes = new IndexChanges(upserts, deletes,
            written.Incomplete ? "a measures ingest may have written more than it could report (a concurrent writer)" : null);
        await ReportAsync("measures", await updater.ApplyAsync(changes, cancellationToken), cancellationToken);
    }

    public async Task NewsChangedAsync(IReadOnlyList<NewsItem> changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var upserts = new List<SearchDocument>(changed.Count);
        foreach (var item in changed)
        {
            upserts.Add(SearchDocumentMapper.News(item, await scope.RadarOfAsync(item, cancellationToken)));
        }

        await ReportAsync("news", await updater.ApplyAsync(new IndexChanges(upserts, []), cancellationToken), cancellationToken);
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
