using System.Text.Json;
using Azure;

namespace Radar.Core.News;

/// <summary>What <see cref="CrossSourceDedupe.StoreAsync(NewsItem, CancellationToken)"/> did with an item.</summary>
public enum NewsUpsertOutcome
{
    /// <summary>Not seen before: stored.</summary>
    New,

    /// <summary>Seen before with other content (title, text, link, tags, date …): rewritten.</summary>
    Updated,

    /// <summary>Seen before, the same: nothing written.</summary>
    Unchanged,

    /// <summary>The same story (same canonical link) is already stored from another source or under
    /// another id: that item now names this source too; no second item.</summary>
    Merged,
}

/// <param name="Key">The key of the stored item (for <see cref="NewsUpsertOutcome.Merged"/>, the
/// existing item's key).</param>
public sealed record NewsUpsertResult(NewsUpsertOutcome Outcome, string Key);

/// <summary>An item on its way to the store: normalised, with its related measures and the
/// fingerprint of both, and what <c>NewsKeys</c> knew of its key (null: nothing in the partitions
/// read). <paramref name="KeyPartition"/> is where its dedupe state belongs now.</summary>
internal sealed record NewsCandidate(int Position, NewsItem Item, string Fingerprint, NewsKeyState? Known, string KeyPartition);

/// <summary>What became of one candidate: its outcome and stored key, the item as now stored when
/// the search index must follow it, or why storage refused it.</summary>
internal sealed record NewsStoreResult(int Position, NewsUpsertOutcome Outcome, string Key, NewsItem? Stored, string? Refused = null);

/// <summary>
/// One stored item per story, however many sources carry it and however often they are read.
/// An incoming item is, in this order: one of its own key seen before (the same → unchanged,
/// edited → updated); a key that was merged into another item before (an alias: an edit from any
/// source is the newest text of the story); a new key whose canonical link an item already
/// claims (merged: that item now names this source too, and the key becomes an alias of it); or
/// new.
/// <para>
/// Deciding reads before it writes, so writes go through one writer at a time (a lock here; the
/// <c>news</c> lease across processes): sources are fetched, parsed and related to measures side
/// by side, and handed in here one feed after the other. A feed is written as batches
/// (<see cref="NewsFeedWrite"/>); the next feed's decisions see everything the previous one wrote.
/// </para>
/// </summary>
public sealed class CrossSourceDedupe(NewsStore store) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>Stores one item on its own (a feed goes through the importer, which reads a
    /// source's dedupe state a partition at a time and hands in the whole feed).</summary>
    public async Task<NewsUpsertResult> StoreAsync(NewsItem incoming, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(incoming.Sources.Count);
        var source = incoming.Sources[0];
        var partition = NewsTables.KeyPartition(source.Id, incoming.Published);
        var known = (await store.ReadKeysAsync([partition], cancellationToken)).GetValueOrDefault(incoming.Key);
        var fingerprint = Fingerprint(incoming);
        if (IsUnchanged(known, partition, fingerprint, source))
        {
            return new(NewsUpsertOutcome.Unchanged, known!.Target);
        }

        var result = (await StoreAsync(source, [new NewsCandidate(1, incoming, fingerprint, known, partition)], new NewsWriteLog(), cancellationToken))[0];
        return result.Refused is { } refused
            ? throw new RequestFailedException(400, $"Storage refused the item: {refused}", refused, null)
            : new NewsUpsertResult(result.Outcome, result.Key);
    }

    /// <summary>A key whose state says it delivered exactly this, filed where it belongs, with its
    /// source as named now: nothing to write.</summary>
    internal static bool IsUnchanged(NewsKeyState? known, string partition, string fingerprint, NewsSourceRef source) =>
        known is not null && known.Partition == partition && known.Fingerprint == fingerprint && known.SourceName == source.Name;

    /// <summary>Stores one feed's candidates (all of <paramref name="source"/>), in feed order.</summary>
    internal async Task<IReadOnlyList<NewsStoreResult>> StoreAsync(
        NewsSourceRef source, IReadOnlyList<NewsCandidate> candidates, NewsWriteLog log, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return [];
        }

        await _writer.WaitAsync(cancellationToken);
        try
        {
            var results = await new NewsFeedWrite(store, source, candidates, log).RunAsync(cancellationToken);
            log.Changed(results.Select(r => r.Stored).OfType<NewsItem>());
            return results;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>What makes an item "the same" on the next run: everything a reader sees, but not
    /// a first-seen date (it is new every run).</summary>
    internal static string Fingerprint(NewsItem item) => NewsKey.Hash(JsonSerializer.Serialize(new
    {
        item.Title,
        item.Link,
        item.ItemId,
        item.Summary,
        item.ContentHtml,
        item.Author,
        item.Tags,
        item.Language,
        item.RelatedMeasures,
        Published = item.PublishedFrom == NewsDateOrigin.FirstSeen ? (DateTimeOffset?)null : item.Published,
        item.PublishedFrom,
    }, Json));

    internal static NewsItem Merge(NewsItem stored, NewsItem incoming)
    {
        // A date Radar made up (first seen) never replaces one it already has.
        var keepDate = incoming.PublishedFrom == NewsDateOrigin.FirstSeen;
        return incoming with
        {
            Key = stored.Key,
            Published = keepDate ? stored.Published : incoming.Published,
            PublishedFrom = keepDate ? stored.PublishedFrom : incoming.PublishedFrom,
            Sources = Union(stored.Sources, incoming.Sources),
        };
    }

    internal static NewsItem WithSource(NewsItem item, NewsSourceRef source) =>
        item with { Sources = Union(item.Sources, [source]) };

    internal static bool Names(NewsItem item, NewsSourceRef source) => item.Sources.Contains(source);

    public void Dispose() => _writer.Dispose();

    private static List<NewsSourceRef> Union(IReadOnlyList<NewsSourceRef> first, IReadOnlyList<NewsSourceRef> second)
    {
        var result = first.ToList();
        foreach (var source in second)
        {
            var at = result.FindIndex(s => s.Id == source.Id);
            if (at < 0)
            {
                result.Add(source);
            }
            else
            {
                result[at] = source; // a renamed source shows its new name
            }
        }

        return result;
    }
}
