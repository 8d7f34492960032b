using System.Text.Json;

namespace Radar.Core.News;

/// <summary>What <see cref="CrossSourceDedupe.StoreAsync"/> did with an item.</summary>
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

/// <summary>
/// One stored item per story, however many sources carry it and however often they are read.
/// An incoming item is, in this order: one of its own key seen before (the same → unchanged,
/// edited → updated); a key that was merged into another item before (an alias: an edit from any
/// source is the newest text of the story); a new key whose canonical link an item already
/// claims (merged: that item now names this source too, and the key becomes an alias of it); or
/// new. Reads before it writes, so imports run one at a time (the news ingest sees to it).
/// </summary>
public sealed class CrossSourceDedupe(NewsStore store)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<NewsUpsertResult> StoreAsync(NewsItem incoming, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(incoming.Sources.Count);
        var source = incoming.Sources[0];
        var fingerprint = Fingerprint(incoming);

        var (own, alias) = await store.ReadKeyAsync(incoming.Key, cancellationToken);
        if (alias is not null)
        {
            var target = await store.GetStoredAsync(alias.Target, cancellationToken);
            if (target is null)
            {
                // The story it pointed at is gone: the key starts afresh below.
                await store.DeleteAliasAsync(alias, cancellationToken);
            }
            else
            {
                var edited = alias.Fingerprint != fingerprint;
                if (!edited && Names(target.Item, source))
                {
                    return new(NewsUpsertOutcome.Unchanged, target.Item.Key);
                }

                var next = edited ? Merge(target.Item, incoming) : WithSource(target.Item, source);
                await store.WriteAsync(target, next, target.Fingerprint, cancellationToken);
                await store.WriteAliasAsync(alias with { SourceId = source.Id, Fingerprint = fingerprint }, cancellationToken);
                return new(NewsUpsertOutcome.Updated, target.Item.Key);
            }
        }
        else if (own is not null)
        {
            if (own.Fingerprint == fingerprint && Names(own.Item, source))
            {
                return new(NewsUpsertOutcome.Unchanged, own.Item.Key);
            }

            await store.WriteAsync(own, Merge(own.Item, incoming), fingerprint, cancellationToken);
            return new(NewsUpsertOutcome.Updated, own.Item.Key);
        }

        if (incoming.Link is { } link && await store.FindByLinkAsync(link, cancellationToken) is { } existing)
        {
            if (!Names(existing.Item, source))
            {
                await store.WriteAsync(existing, WithSource(existing.Item, source), existing.Fingerprint, cancellationToken);
            }

            await store.WriteAliasAsync(new NewsAlias(incoming.Key, existing.Item.Key, source.Id, fingerprint), cancellationToken);
            return new(NewsUpsertOutcome.Merged, existing.Item.Key);
        }

        await store.WriteAsync(null, incoming, fingerprint, cancellationToken);
        return new(NewsUpsertOutcome.New, incoming.Key);
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

    private static NewsItem Merge(NewsItem stored, NewsItem incoming)
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

    private static NewsItem WithSource(NewsItem item, NewsSourceRef source) =>
        item with { Sources = Union(item.Sources, [source]) };

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

    private static bool Names(NewsItem item, NewsSourceRef source) => item.Sources.Contains(source);
}
