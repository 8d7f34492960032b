using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Radar.Core.News.Normalising;
using Radar.Core.Storage;

namespace Radar.Core.News;

/// <summary>
/// News items in Table storage. Three tables (see docs/architecture.md, "News"):
/// <list type="bullet">
/// <item><c>News</c>: the record, one row per item (PartitionKey = item key, RowKey <c>item</c>),
/// and one alias row per other key that reached the same story (another source, or the same
/// source under another id) pointing at it with that key's own fingerprint.</item>
/// <item><c>NewsIndex</c>: the listing, a copy of each item's list fields (no content) in the
/// partitions <c>all</c>, <c>s:{source}</c> per source and <c>t:{folded tag}</c> per tag, RowKey
/// <c>{inverted publish ticks}_{key}</c>, so every listing is one ordered range read.</item>
/// <item><c>NewsLinks</c>: canonical link (hashed) → item key, for dedupe across sources.</item>
/// </list>
/// Which item an incoming one is (new, the same, an edit, another source's copy) is decided by
/// <see cref="CrossSourceDedupe"/>; this class only reads and writes rows. One writer at a time
/// (the <c>news</c> ingest lease) is assumed; readers may run anywhere.
/// </summary>
public sealed partial class NewsStore(RadarStorage storage, TimeProvider clock)
{
    public const string ItemsTable = "News";
    public const string IndexTable = "NewsIndex";
    public const string LinksTable = "NewsLinks";

    private const string ItemRow = "item";
    private const string LinkRow = "link";
    private const string AllPartition = "all";
    private const int ContentChunk = 30_000; // a table string property holds 32K UTF-16 characters

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The row stored under <paramref name="key"/>: an item, an alias pointing at one, or nothing.</summary>
    internal async Task<(StoredNewsItem? Item, NewsAlias? Alias)> ReadKeyAsync(string key, CancellationToken cancellationToken)
    {
        var items = await storage.GetTableAsync(ItemsTable, cancellationToken);
        var row = await GetRowAsync(items, key, cancellationToken);
        return row is null ? (null, null)
            : IsAlias(row) ? (null, new NewsAlias(row.PartitionKey, row.GetString("Target") ?? "", row.GetString("SourceId") ?? "", row.GetString("Fingerprint") ?? ""))
            : (ReadStored(row), null);
    }

    /// <summary>The item (not an alias) stored under <paramref name="key"/>.</summary>
    internal async Task<StoredNewsItem?> GetStoredAsync(string? key, CancellationToken cancellationToken)
    {
        var items = await storage.GetTableAsync(ItemsTable, cancellationToken);
        return await GetStoredAsync(items, key, cancellationToken);
    }

    /// <summary>The item that claimed this canonical link first, if it is still stored.</summary>
    internal async Task<StoredNewsItem?> FindByLinkAsync(string link, CancellationToken cancellationToken)
    {
        var items = await storage.GetTableAsync(ItemsTable, cancellationToken);
        var links = await storage.GetTableAsync(LinksTable, cancellationToken);
        var claim = await GetRowAsync(links, LinkPartition(link), LinkRow, cancellationToken);
        return claim is null ? null : await GetStoredAsync(items, claim.GetString("Target"), cancellationToken);
    }

    /// <summary>Points <paramref name="alias"/>'s key at its target item, with the fingerprint of
    /// what that key last delivered.</summary>
    internal async Task WriteAliasAsync(NewsAlias alias, CancellationToken cancellationToken)
    {
        var items = await storage.GetTableAsync(ItemsTable, cancellationToken);
        await items.UpsertEntityAsync(new TableEntity(alias.Key, ItemRow)
        {
            ["Kind"] = "alias",
            ["Target"] = alias.Target,
            ["SourceId"] = alias.SourceId,
            ["Fingerprint"] = alias.Fingerprint,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Removes an alias whose target is gone.</summary>
    internal async Task DeleteAliasAsync(NewsAlias alias, CancellationToken cancellationToken)
    {
        var items = await storage.GetTableAsync(ItemsTable, cancellationToken);
        await DeleteIfExistsAsync(items, alias.Key, ItemRow, cancellationToken);
    }

    /// <summary>The item with its content, by its key or by a key that was merged into it.</summary>
    public async Task<NewsItem?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var items = await storage.GetTableAsync(ItemsTable, cancellationToken);
        var row = await GetRowAsync(items, key, cancellationToken);
        if (row is not null && IsAlias(row))
        {
            row = await GetRowAsync(items, row.GetString("Target"), cancellationToken);
        }

        return row is null || IsAlias(row) ? null : ReadStored(row).Item;
    }

    /// <summary>Every stored item with its content (aliases left out), in no particular order:
    /// what rebuilding the search index reads.</summary>
    public async IAsyncEnumerable<NewsItem> ListAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var items = await storage.GetTableAsync(ItemsTable, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {ItemRow} and Kind eq {"item"}");
        await foreach (var row in items.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return ReadStored(row).Item;
        }
    }

    /// <summary>The latest items, newest first. Page N skips (N-1)×size rows reading their keys only.</summary>
    public async Task<NewsPage> ListAsync(NewsQuery query, CancellationToken cancellationToken)
    {
        var index = await storage.GetTableAsync(IndexTable, cancellationToken);
        var partition = query.Tag is { } tag ? TagPartition(tag)
            : query.Source is { } source ? SourcePartition(source)
            : AllPartition;
        // Tag and source together: the tag's partition, filtered by source while reading.
        var sourceMarker = query.Tag is not null && query.Source is not null ? "|" + query.Source + "|" : null;
        bool Wanted(TableEntity row) => sourceMarker is null || (row.GetString("SourceIds") ?? "").Contains(sourceMarker, StringComparison.Ordinal);

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var skip = (query.Page - 1) * query.PageSize;
        if (skip > 0)
        {
            string[] keysOnly = sourceMarker is null ? ["RowKey"] : ["RowKey", "SourceIds"];
            string? start = null;
            var skipped = 0;
            await foreach (var row in index.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: keysOnly, cancellationToken: cancellationToken))
            {
                if (!Wanted(row))
                {
                    continue;
                }

                if (skipped == skip)
                {
                    start = row.RowKey;
                    break;
                }

                skipped++;
            }

            if (start is null)
            {
                return new NewsPage(query.Page, query.PageSize, false, query.Source, query.Tag, []);
            }

            filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {start}");
        }

        var entries = new List<NewsListEntry>(query.PageSize);
        var hasMore = false;
        var perPage = sourceMarker is null ? query.PageSize + 1 : 1000;
        await foreach (var row in index.QueryAsync<TableEntity>(filter, maxPerPage: perPage, cancellationToken: cancellationToken))
        {
            if (!Wanted(row))
            {
                continue;
            }

            if (entries.Count == query.PageSize)
            {
                hasMore = true;
                break;
            }

            entries.Add(ReadEntry(row));
        }

        return new NewsPage(query.Page, query.PageSize, hasMore, query.Source, query.Tag, entries);
    }

    /// <summary>The index partition of a tag: its folded form, hashed when it holds characters a
    /// table key may not.</summary>
    public static string TagPartition(string tag) => "t:" + SafeKey(NewsTags.Fold(tag));

    public static string SourcePartition(string sourceId) => "s:" + SafeKey(sourceId);

    /// <summary>RowKey in the index: newest first by inverted ticks, the key makes it unique.</summary>
    public static string IndexRowKey(DateTimeOffset published, string key) =>
        (DateTimeOffset.MaxValue.UtcTicks - published.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + key;

    /// <summary>Writes <paramref name="next"/> over <paramref name="previous"/> (null: a new item):
    /// listing rows, the link claim, then the record.</summary>
    internal async Task WriteAsync(StoredNewsItem? previous, NewsItem next, string fingerprint, CancellationToken cancellationToken)
    {
        var items = await storage.GetTableAsync(ItemsTable, cancellationToken);
        var index = await storage.GetTableAsync(IndexTable, cancellationToken);
        var links = await storage.GetTableAsync(LinksTable, cancellationToken);

        // Index rows first and the record last: a run cut short in between is repaired by the
        // next run, which finds no record (or the old fingerprint) and writes again.
        var rowKey = IndexRowKey(next.Published, next.Key);
        var partitions = Partitions(next).ToHashSet(StringComparer.Ordinal);
        var listing = IndexEntity(next);
        await Task.WhenAll(partitions.Select(p =>
            index.UpsertEntityAsync(new TableEntity(listing) { PartitionKey = p, RowKey = rowKey }, TableUpdateMode.Replace, cancellationToken)));
        if (previous is not null)
        {
            var oldRowKey = IndexRowKey(previous.Item.Published, previous.Item.Key);
            await Task.WhenAll(Partitions(previous.Item)
                .Where(p => oldRowKey != rowKey || !partitions.Contains(p))
                .Distinct(StringComparer.Ordinal)
                .Select(p => DeleteIfExistsAsync(index, p, oldRowKey, cancellationToken)));
        }

        if (next.Link is { } link && link != previous?.Item.Link)
        {
            var claim = await GetRowAsync(links, LinkPartition(link), LinkRow, cancellationToken);
            var claimedByOther = claim is not null && claim.GetString("Target") != next.Key
                && await GetRowAsync(items, claim.GetString("Target"), cancellationToken) is not null;
            if (!claimedByOther)
            {
                await links.UpsertEntityAsync(
                    new TableEntity(LinkPartition(link), LinkRow) { ["Target"] = next.Key, ["Link"] = Truncate(link) },
                    TableUpdateMode.Replace, cancellationToken);
            }
        }

        if (previous?.Item.Link is { } oldLink && oldLink != next.Link)
        {
            var claim = await GetRowAsync(links, LinkPartition(oldLink), LinkRow, cancellationToken);
            if (claim?.GetString("Target") == next.Key)
            {
                await DeleteIfExistsAsync(links, claim.PartitionKey, claim.RowKey, cancellationToken);
            }
        }

        var now = clock.GetUtcNow();
        await items.UpsertEntityAsync(ItemEntity(next, fingerprint, previous?.FirstSeen ?? now, now), TableUpdateMode.Replace, cancellationToken);
    }

    private static IEnumerable<string> Partitions(NewsItem item) =>
        new[] { AllPartition }
            .Concat(item.Sources.Select(s => SourcePartition(s.Id)))
            .Concat(item.Tags.Select(TagPartition));

    private static TableEntity ItemEntity(NewsItem item, string fingerprint, DateTimeOffset firstSeen, DateTimeOffset changed)
    {
        var entity = new TableEntity(Listing(item)) { PartitionKey = item.Key, RowKey = ItemRow };
        entity["Kind"] = "item";
        entity["ItemId"] = item.ItemId;
        entity["Fingerprint"] = fingerprint;
        entity["FirstSeen"] = firstSeen;
        entity["Changed"] = changed;
        var chunks = Chunks(item.ContentHtml);
        entity["ContentChunks"] = chunks.Count;
        for (var i = 0; i < chunks.Count; i++)
        {
            entity["Content" + i.ToString(CultureInfo.InvariantCulture)] = chunks[i];
        }

        return entity;
    }

    private static TableEntity IndexEntity(NewsItem item) => new(Listing(item))
    {
        ["Key"] = item.Key,
        ["SourceIds"] = "|" + string.Join("|", item.Sources.Select(s => s.Id)) + "|",
    };

    /// <summary>What a list of news shows of an item: the fields both the record and its listing rows carry.</summary>
    private static TableEntity Listing(NewsItem item) => new()
    {
        ["Title"] = item.Title,
        ["Link"] = item.Link,
        ["Published"] = item.Published,
        ["PublishedFrom"] = item.PublishedFrom.ToString(),
        ["Summary"] = item.Summary,
        ["Author"] = item.Author,
        ["Tags"] = JsonSerializer.Serialize(item.Tags, Json),
        ["Language"] = item.Language,
        ["Sources"] = JsonSerializer.Serialize(item.Sources, Json),
        ["RelatedMeasures"] = JsonSerializer.Serialize(item.RelatedMeasures, Json),
    };

    // Never between the two halves of a surrogate pair: each chunk must be valid text on its own.
    private static List<string> Chunks(string text)
    {
        var chunks = new List<string>();
        for (var start = 0; start < text.Length;)
        {
            var length = Math.Min(ContentChunk, text.Length - start);
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
            {
                length--;
            }

            chunks.Add(text.Substring(start, length));
            start += length;
        }

        return chunks;
    }

    private static StoredNewsItem ReadStored(TableEntity row)
    {
        var chunks = row.GetInt32("ContentChunks") ?? 0;
        var content = string.Concat(Enumerable.Range(0, chunks).Select(i => row.GetString("Content" + i.ToString(CultureInfo.InvariantCulture))));
        var item = new NewsItem
        {
            Key = row.PartitionKey,
            Title = row.GetString("Title") ?? "",
            Link = row.GetString("Link"),
            ItemId = row.GetString("ItemId"),
            Published = row.GetDateTimeOffset("Published") ?? DateTimeOffset.UnixEpoch,
            PublishedFrom = Enum.TryParse<NewsDateOrigin>(row.GetString("PublishedFrom"), out var origin) ? origin : NewsDateOrigin.Published,
            Summary = row.GetString("Summary") ?? "",
            ContentHtml = content,
            Author = row.GetString("Author"),
            Tags = List<string>(row, "Tags"),
            Language = row.GetString("Language"),
            Sources = List<NewsSourceRef>(row, "Sources"),
            RelatedMeasures = List<string>(row, "RelatedMeasures"),
        };
        return new StoredNewsItem(item, row.GetString("Fingerprint") ?? "", row.GetDateTimeOffset("FirstSeen") ?? item.Published);
    }

    private static NewsListEntry ReadEntry(TableEntity row) => new(
        row.GetString("Key") ?? "",
        row.GetString("Title") ?? "",
        row.GetString("Link"),
        row.GetDateTimeOffset("Published") ?? DateTimeOffset.UnixEpoch,
        Enum.TryParse<NewsDateOrigin>(row.GetString("PublishedFrom"), out var origin) ? origin : NewsDateOrigin.Published,
        row.GetString("Summary") ?? "",
        row.GetString("Author"),
        List<string>(row, "Tags"),
        row.GetString("Language"),
        List<NewsSourceRef>(row, "Sources"),
        List<string>(row, "RelatedMeasures"));

    private static List<T> List<T>(TableEntity row, string property) =>
        row.GetString(property) is { Length: > 0 } json ? JsonSerializer.Deserialize<List<T>>(json, Json) ?? [] : [];

    private static bool IsAlias(TableEntity row) => row.GetString("Kind") == "alias";

    private static async Task<StoredNewsItem?> GetStoredAsync(TableClient items, string? key, CancellationToken cancellationToken)
    {
        var row = await GetRowAsync(items, key, cancellationToken);
        return row is null || IsAlias(row) ? null : ReadStored(row);
    }

    private static Task<TableEntity?> GetRowAsync(TableClient table, string? key, CancellationToken cancellationToken) =>
        GetRowAsync(table, key, ItemRow, cancellationToken);

    private static async Task<TableEntity?> GetRowAsync(TableClient table, string? partition, string row, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(partition))
        {
            return null;
        }

        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private static async Task DeleteIfExistsAsync(TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    private static string LinkPartition(string link) => NewsKey.Hash("link\n" + link);

    private static string Truncate(string value) => value.Length <= 4000 ? value : value[..4000];

    private static string SafeKey(string value) =>
        SafeKeyRegex().IsMatch(value) ? value : "~" + NewsKey.Hash(value);

    [GeneratedRegex(@"^[\p{L}\p{Nd} ._+:-]{1,100}$")]
    private static partial Regex SafeKeyRegex();
}

/// <summary>An item as stored, with the fingerprint of its content and when it was first seen.</summary>
internal sealed record StoredNewsItem(NewsItem Item, string Fingerprint, DateTimeOffset FirstSeen);

/// <summary>A key that reached a story stored under another key (<paramref name="Target"/>): another
/// source's copy, or the same source's item under a new id. <paramref name="Fingerprint"/> is of what
/// that key last delivered, so an edit from it is seen.</summary>
internal sealed record NewsAlias(string Key, string Target, string SourceId, string Fingerprint);
