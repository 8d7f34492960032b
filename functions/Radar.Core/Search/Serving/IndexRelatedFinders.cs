using Microsoft.Extensions.Logging;
using Radar.Core.Measures;
using Radar.Core.News;
using Radar.Core.Search.Replication;

namespace Radar.Core.Search.Serving;

/// <summary>
/// The measures a news item is about, found in the index: its title, summary and tags searched
/// against the measures of its radar (<see cref="RelatedScope"/>), any word counting (not all
/// required), in the measures' titles, tags and summaries. A measure is related when it scores at
/// least <see cref="MinScore"/> and at least half the best score: one distinctive word in a title
/// or a tag is enough ("M-WLAN jetzt auch im Olympiapark"), a common word in a summary is not
/// ("Düsseldorf: Digitalstrategie neu ausgerichtet" relates to nothing).
/// </summary>
public sealed class IndexRelatedMeasureFinder(IndexReplica replica, RelatedScope scope, ILogger<IndexRelatedMeasureFinder> logger)
    : IRelatedMeasureFinder
{
    public const int MaxMeasures = 5;

    /// <summary>About one distinctive word matched in a measure's title (BM25, title weight 4).</summary>
    public const float MinScore = 9f;

    public const float RelativeScore = 0.5f;

    /// <summary>How long an import waits for the index on a cold start before it stores the item
    /// without related measures (the next run relates it once the index is there).</summary>
    public static readonly TimeSpan IndexWait = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<string>> FindAsync(NewsItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!await replica.WaitUntilLoadedAsync(IndexWait, cancellationToken))
        {
            logger.LogWarning("No index loaded: news item {Key} is stored without related measures for now", item.Key);
            return [];
        }

        var radar = await scope.RadarOfAsync(item, cancellationToken);
        using var use = replica.Acquire();
        if (use is null)
        {
            return [];
        }

        var text = string.Join("\n", new[] { item.Title, item.Summary }.Concat(item.Tags));
        return [.. use.Index.FindMeasures(text, radar, MaxMeasures, MinScore, RelativeScore).Select(found => found.Id)];
    }
}

/// <summary>A measure's news: news documents of the loaded snapshot whose related measures
/// include it, newest first (<see cref="SnapshotReads.RelatedNews"/>).</summary>
public sealed class IndexRelatedNewsFinder(SnapshotReads snapshot) : IRelatedNewsFinder
{
    public const int MaxNews = 10;

    public Task<IReadOnlyList<RelatedNews>> FindAsync(string radarId, string measureId, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<IReadOnlyList<RelatedNews>>([.. snapshot.RelatedNews(radarId, measureId, MaxNews)
                .Select(item => new RelatedNews(item.Key, item.Title, item.Published, item.Link, item.Sources.Count > 0 ? item.Sources[0] : null))]);
        }
        catch (SnapshotUnavailableException)
        {
            return Task.FromResult<IReadOnlyList<RelatedNews>>([]);
        }
    }
}
