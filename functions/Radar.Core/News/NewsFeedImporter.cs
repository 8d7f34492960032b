using Azure;
using Radar.Core.News.Reading;
using Radar.Core.Sources;

namespace Radar.Core.News;

/// <summary>What became of one feed: counts by outcome, and every item not taken with its reason.
/// <see cref="Error"/> set means the feed as a whole was refused and nothing was stored;
/// <see cref="Break"/> set means the XML broke after the items that were stored.</summary>
public sealed record NewsImportReport(
    string SourceId,
    FeedParseError? Error,
    FeedInfo? Feed,
    int New,
    int Updated,
    int Unchanged,
    int Merged,
    IReadOnlyList<SkippedNewsItem> Skipped) : IPartialResult
{
    /// <summary>Keys of the items stored new, updated or merged: what the search index must follow.</summary>
    public IReadOnlyList<string> Changed { get; init; } = [];

    /// <summary>Where the feed's XML broke, when the items complete before it were kept.</summary>
    public FeedBreak? Break { get; init; }

    /// <summary>Items read from the feed: stored in one way or another, or skipped.</summary>
    public int Read => New + Updated + Unchanged + Merged + Skipped.Count;

    string? IPartialResult.PartialReason => Break?.Describe(Read);
}

/// <summary>
/// A fetched feed into the store: parse and normalise (<see cref="NewsFeedParser"/>), find related
/// measures (<see cref="IRelatedMeasureFinder"/>), store each item once per story
/// (<see cref="CrossSourceDedupe"/>).
/// The news ingest calls it with what the shared fetcher brought; it does not fetch.
/// </summary>
public sealed class NewsFeedImporter(NewsFeedParser parser, IRelatedMeasureFinder measures, CrossSourceDedupe dedupe, NewsStore store)
{
    public async Task<NewsImportReport> ImportAsync(NewsSourceInfo source, FeedPayload payload, CancellationToken cancellationToken)
    {
        var result = parser.Parse(payload, source);
        if (result.Error is { } error)
        {
            return new NewsImportReport(source.Id, error, result.Feed, 0, 0, 0, 0, []);
        }

        int created = 0, updated = 0, unchanged = 0, merged = 0;
        var skipped = result.Skipped.ToList();
        var changed = new List<string>();
        var position = 0;
        foreach (var parsed in result.Items)
        {
            position++;
            var item = parsed with { RelatedMeasures = await RelatedMeasuresAsync(parsed, cancellationToken) };
            try
            {
                var stored = await dedupe.StoreAsync(item, cancellationToken);
                if (stored.Outcome != NewsUpsertOutcome.Unchanged)
                {
                    changed.Add(stored.Key);
                }

                switch (stored.Outcome)
                {
                    case NewsUpsertOutcome.New: created++; break;
                    case NewsUpsertOutcome.Updated: updated++; break;
                    case NewsUpsertOutcome.Unchanged: unchanged++; break;
                    case NewsUpsertOutcome.Merged: merged++; break;
                }
            }
            catch (RequestFailedException ex) when (ex.Status is 400 or 413)
            {
                // Storage refused this one item (too large, a value it will not take): the rest go on.
                skipped.Add(new SkippedNewsItem(position, item.Title, $"storage refused the item: {ex.ErrorCode ?? ex.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
            }
        }

        return new NewsImportReport(source.Id, null, result.Feed, created, updated, unchanged, merged, skipped) { Changed = changed, Break = result.Break };
    }

    /// <summary>
    /// An item read again with the same content keeps the measures it was related to. Relevance
    /// scores depend on everything in the index (every news item stored shifts them a little), so
    /// asking again would let items near the threshold flip between runs and show up as
    /// "updated" though nothing about them changed. Items related to nothing yet are asked again:
    /// they may have been stored while no index was loaded.
    /// </summary>
    private async Task<IReadOnlyList<string>> RelatedMeasuresAsync(NewsItem parsed, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(parsed.Key, cancellationToken);
        if (stored is { RelatedMeasures.Count: > 0 }
            && CrossSourceDedupe.Fingerprint(stored) == CrossSourceDedupe.Fingerprint(parsed with { RelatedMeasures = stored.RelatedMeasures }))
        {
            return stored.RelatedMeasures;
        }

        return await measures.FindAsync(parsed, cancellationToken);
    }
}
