using System.Diagnostics;
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

    /// <summary>Entity group transactions this feed's import committed.</summary>
    public int Batches { get; init; }

    /// <summary>Entities (rows) those transactions wrote or deleted.</summary>
    public int Rows { get; init; }

    /// <summary>Time spent parsing and relating the feed to measures, and writing it (including
    /// waiting for the one writer while another feed was written).</summary>
    public TimeSpan ParseTime { get; init; }

    public TimeSpan WriteTime { get; init; }

    /// <summary>Items read from the feed: stored in one way or another, or skipped.</summary>
    public int Read => New + Updated + Unchanged + Merged + Skipped.Count;

    string? IPartialResult.PartialReason => Break?.Describe(Read);
}

/// <summary>
/// A fetched feed into the store: parse and normalise (<see cref="NewsFeedParser"/>), learn what is
/// stored of this source's keys (one read per <c>NewsKeys</c> partition the feed's items fall into:
/// its source and their months), find related measures (<see cref="IRelatedMeasureFinder"/>) where
/// the content is not known already, leave out what is unchanged, and hand the rest to the one
/// writer (<see cref="CrossSourceDedupe"/>). Everything before the writer runs side by side for
/// several feeds. The news ingest calls it with what the shared fetcher brought; it does not fetch.
/// </summary>
public sealed class NewsFeedImporter(NewsFeedParser parser, IRelatedMeasureFinder measures, CrossSourceDedupe dedupe, NewsStore store)
{
    public Task<NewsImportReport> ImportAsync(NewsSourceInfo source, FeedPayload payload, CancellationToken cancellationToken) =>
        ImportAsync(source, payload, new NewsWriteLog(), cancellationToken);

    /// <param name="run">The run's write log: this feed's batches and changed items are counted in it too.</param>
    public async Task<NewsImportReport> ImportAsync(NewsSourceInfo source, FeedPayload payload, NewsWriteLog run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var started = Stopwatch.GetTimestamp();
        var result = parser.Parse(payload, source);
        if (result.Error is { } error)
        {
            return new NewsImportReport(source.Id, error, result.Feed, 0, 0, 0, 0, []);
        }

        var sourceRef = source.Ref;
        var partitions = result.Items.Select(i => NewsTables.KeyPartition(sourceRef.Id, i.Published));
        var known = await store.ReadKeysAsync(partitions, cancellationToken);

        var unchanged = 0;
        var candidates = new List<NewsCandidate>();
        var position = 0;
        foreach (var parsed in result.Items)
        {
            position++;
            var state = known.GetValueOrDefault(parsed.Key);
            var (item, fingerprint) = await RelateAsync(parsed, state, cancellationToken);
            var partition = NewsTables.KeyPartition(sourceRef.Id, item.Published);
            if (CrossSourceDedupe.IsUnchanged(state, partition, fingerprint, sourceRef))
            {
                unchanged++;
            }
            else
            {
                candidates.Add(new NewsCandidate(position, item, fingerprint, state, partition));
            }
        }

        var parsedAt = Stopwatch.GetTimestamp();
        var log = new NewsWriteLog(run);
        var stored = await dedupe.StoreAsync(sourceRef, candidates, log, cancellationToken);

        int created = 0, updated = 0, merged = 0;
        var skipped = result.Skipped.ToList();
        var changed = new List<string>();
        foreach (var (candidate, outcome) in candidates.Zip(stored))
        {
            if (outcome.Refused is { } code)
            {
                // Storage refused this one item (too large, a value it will not take): the rest go on.
                skipped.Add(new SkippedNewsItem(candidate.Position, candidate.Item.Title, $"storage refused the item: {code}"));
                continue;
            }

            if (outcome.Outcome != NewsUpsertOutcome.Unchanged)
            {
                changed.Add(outcome.Key);
            }

            switch (outcome.Outcome)
            {
                case NewsUpsertOutcome.New: created++; break;
                case NewsUpsertOutcome.Updated: updated++; break;
                case NewsUpsertOutcome.Unchanged: unchanged++; break;
                case NewsUpsertOutcome.Merged: merged++; break;
            }
        }

        skipped.Sort((a, b) => a.Position.CompareTo(b.Position));
        return new NewsImportReport(source.Id, null, result.Feed, created, updated, unchanged, merged, skipped)
        {
            Changed = changed,
            Break = result.Break,
            Batches = log.Transactions,
            Rows = log.Entities,
            ParseTime = Stopwatch.GetElapsedTime(started, parsedAt),
            WriteTime = Stopwatch.GetElapsedTime(parsedAt),
        };
    }

    /// <summary>
    /// A key that delivers the same content again keeps the measures it was related to. Relevance
    /// scores depend on everything in the index (every news item stored shifts them a little), so
    /// asking again would let items near the threshold flip between runs and show up as
    /// "updated" though nothing about them changed. Keys related to nothing yet are asked again:
    /// they may have been stored while no index was loaded. Returns the item with its related
    /// measures and its fingerprint (computed once).
    /// </summary>
    private async Task<(NewsItem Item, string Fingerprint)> RelateAsync(NewsItem parsed, NewsKeyState? known, CancellationToken cancellationToken)
    {
        if (known is { Related.Count: > 0 })
        {
            var again = parsed with { RelatedMeasures = known.Related };
            var fingerprint = CrossSourceDedupe.Fingerprint(again);
            if (fingerprint == known.Fingerprint)
            {
                return (again, fingerprint);
            }
        }

        var item = parsed with { RelatedMeasures = await measures.FindAsync(parsed, cancellationToken) };
        return (item, CrossSourceDedupe.Fingerprint(item));
    }
}
