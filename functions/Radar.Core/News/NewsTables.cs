using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Radar.Core.News.Normalising;

namespace Radar.Core.News;

/// <summary>
/// The news tables: names, keys and how an item, an alias, a key's dedupe state and a link claim
/// become rows (see docs/architecture.md, "News", "Tables"). Every table is laid out so that what
/// one ingest run writes falls into few partitions and goes as entity group transactions:
/// <list type="bullet">
/// <item><c>NewsItems</c>: the record by key. PartitionKey <see cref="ItemPartition"/> (one hex
/// digit of the key's hash: 16 partitions), RowKey the key. <c>Kind</c> <c>item</c> (every field,
/// content in chunks) or <c>alias</c> (a key that reached a story stored under another key:
/// <c>Target</c>). The partition <c>state</c> holds the layout marker and the run marker.</item>
/// <item><c>NewsKeys</c>: what the dedupe needs to know of every key a source delivered, small rows
/// read a partition at a time. PartitionKey <see cref="KeyPartition"/> (source and month of the
/// date the key last came with), RowKey the key.</item>
/// <item><c>NewsLinkClaims</c>: canonical link → the item that claimed it first.
/// PartitionKey <see cref="ClaimPartition"/> (one hex digit of the link's hash), RowKey the hash.</item>
/// <item><c>NewsIndex</c>: the listings (unchanged from the first layout): partitions <c>all</c>,
/// <c>s:{source}</c>, <c>t:{folded tag}</c>, RowKey <see cref="IndexRowKey"/>.</item>
/// </list>
/// </summary>
internal static partial class NewsTables
{
    public const string Items = "NewsItems";
    public const string Keys = "NewsKeys";
    public const string Claims = "NewsLinkClaims";
    public const string Index = "NewsIndex";

    /// <summary>The first layout (one partition per item and per link); migrated and deleted on
    /// the first start of this version (<see cref="NewsLayoutMigration"/>).</summary>
    public const string LegacyItems = "News";
    public const string LegacyLinks = "NewsLinks";
    public const string LegacyRow = "item";
    public const string LegacyLinkRow = "link";

    public const string StatePartition = "state";
    public const string LayoutRow = "layout";
    public const string RunRow = "run";

    public const string AllPartition = "all";
    public const string ItemKind = "item";
    public const string AliasKind = "alias";

    private const int ContentChunk = 30_000; // a table string property holds 32K UTF-16 characters

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string ItemPartition(string key) => NewsKey.Hash(key)[..1];

    /// <summary>Where a key's dedupe state lives: its source and the month (UTC) of the date it
    /// came with. A feed's items fall into a few months, so one run reads a few small partitions,
    /// however many items are stored.</summary>
    public static string KeyPartition(string sourceId, DateTimeOffset published) =>
        SafeKey(sourceId) + "|" + published.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string LinkHash(string link) => NewsKey.Hash("link\n" + link);

    public static string ClaimPartition(string linkHash) => linkHash[..1];

    public static string TagPartition(string tag) => "t:" + SafeKey(NewsTags.Fold(tag));

    public static string SourcePartition(string sourceId) => "s:" + SafeKey(sourceId);

    public static string IndexRowKey(DateTimeOffset published, string key) =>
        (DateTimeOffset.MaxValue.UtcTicks - published.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + key;

    /// <summary>The listing partitions an item appears in.</summary>
    public static IEnumerable<string> IndexPartitions(NewsItem item) =>
        new[] { AllPartition }
            .Concat(item.Sources.Select(s => SourcePartition(s.Id)))
            .Concat(item.Tags.Select(TagPartition))
            .Distinct(StringComparer.Ordinal);

    public static TableEntity ItemEntity(NewsItem item, string fingerprint, DateTimeOffset firstSeen, DateTimeOffset changed, string? keyFiled)
    {
        var entity = new TableEntity(Listing(item)) { PartitionKey = ItemPartition(item.Key), RowKey = item.Key };
        entity["Kind"] = ItemKind;
        entity["ItemId"] = item.ItemId;
        entity["Fingerprint"] = fingerprint;
        entity["FirstSeen"] = firstSeen;
        entity["Changed"] = changed;
        entity["KeyFiled"] = keyFiled;
        var chunks = Chunks(item.ContentHtml);
        entity["ContentChunks"] = chunks.Count;
        for (var i = 0; i < chunks.Count; i++)
        {
            entity["Content" + i.ToString(CultureInfo.InvariantCulture)] = chunks[i];
        }

        return entity;
    }

    public static TableEntity AliasEntity(NewsAlias alias) => new(ItemPartition(alias.Key), alias.Key)
    {
        ["Kind"] = AliasKind,
        ["Target"] = alias.Target,
        ["SourceId"] = alias.SourceId,
        ["Fingerprint"] = alias.Fingerprint,
        ["KeyFiled"] = alias.KeyFiled,
    };

    public static TableEntity KeyEntity(NewsKeyState state) => new(state.Partition, state.Key)
    {
        ["Kind"] = state.IsAlias ? AliasKind : ItemKind,
        ["Target"] = state.Target,
        ["Fingerprint"] = state.Fingerprint,
        ["Related"] = JsonSerializer.Serialize(state.Related, Json),
        ["SourceName"] = state.SourceName,
    };

    public static TableEntity ClaimEntity(string link, string target)
    {
        var hash = LinkHash(link);
        return new TableEntity(ClaimPartition(hash), hash) { ["Target"] = target, ["Link"] = Truncate(link) };
    }

    public static TableEntity IndexEntity(NewsItem item, string partition) => new(Listing(item))
    {
        PartitionKey = partition,
        RowKey = IndexRowKey(item.Published, item.Key),
        ["Key"] = item.Key,
        ["SourceIds"] = "|" + string.Join("|", item.Sources.Select(s => s.Id)) + "|",
    };

    /// <summary>An item or alias row of either layout; <paramref name="key"/> is its key (RowKey
    /// now, PartitionKey in the first layout).</summary>
    public static NewsRecord ReadRecord(TableEntity? row, string key) =>
        row is null ? NewsRecord.None
        : row.GetString("Kind") == AliasKind
            ? new NewsRecord(null, new NewsAlias(key, row.GetString("Target") ?? "", row.GetString("SourceId") ?? "", row.GetString("Fingerprint") ?? "", row.GetString("KeyFiled")))
            : new NewsRecord(ReadStored(row, key), null);

    public static StoredNewsItem ReadStored(TableEntity row, string key)
    {
        var chunks = row.GetInt32("ContentChunks") ?? 0;
        var content = string.Concat(Enumerable.Range(0, chunks).Select(i => row.GetString("Content" + i.ToString(CultureInfo.InvariantCulture))));
        var item = new NewsItem
        {
            Key = key,
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
        return new StoredNewsItem(item, row.GetString("Fingerprint") ?? "", row.GetDateTimeOffset("FirstSeen") ?? item.Published, row.GetString("KeyFiled"));
    }

    public static NewsKeyState ReadKey(TableEntity row) => new(
        row.RowKey,
        row.PartitionKey,
        row.GetString("Kind") == AliasKind,
        row.GetString("Target") ?? row.RowKey,
        row.GetString("Fingerprint") ?? "",
        List<string>(row, "Related"),
        row.GetString("SourceName") ?? "");

    public static NewsListEntry ReadEntry(TableEntity row) => new(
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

    public static List<T> List<T>(TableEntity row, string property) =>
        row.GetString(property) is { Length: > 0 } json ? JsonSerializer.Deserialize<List<T>>(json, Json) ?? [] : [];

    /// <summary>A table key made of <paramref name="value"/>, or its hash when it holds characters
    /// a table key may not (or <c>|</c>, which separates the parts of a key partition).</summary>
    public static string SafeKey(string value) =>
        SafeKeyRegex().IsMatch(value) ? value : "~" + NewsKey.Hash(value);

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

    private static string Truncate(string value) => value.Length <= 4000 ? value : value[..4000];

    [GeneratedRegex(@"^[\p{L}\p{Nd} ._+:-]{1,100}$")]
    private static partial Regex SafeKeyRegex();
}

/// <summary>An item as stored, with the fingerprint of what its own key last delivered, when it
/// was first seen, and where its key's dedupe state is filed (<see cref="NewsTables.KeyPartition"/>).</summary>
internal sealed record StoredNewsItem(NewsItem Item, string Fingerprint, DateTimeOffset FirstSeen, string? KeyFiled = null);

/// <summary>A key that reached a story stored under another key (<paramref name="Target"/>): another
/// source's copy, or the same source's item under a new id. <paramref name="Fingerprint"/> is of what
/// that key last delivered, so an edit from it is seen.</summary>
internal sealed record NewsAlias(string Key, string Target, string SourceId, string Fingerprint, string? KeyFiled = null);

/// <summary>The <c>NewsItems</c> row of a key: an item, an alias, or nothing.</summary>
internal sealed record NewsRecord(StoredNewsItem? Item, NewsAlias? Alias)
{
    public static NewsRecord None { get; } = new(null, null);
}

/// <summary>A key's row in <c>NewsKeys</c>: whether it is an item or an alias (and of which item),
/// the fingerprint of what it last delivered, the related measures that delivery was stored with,
/// and the name its source had then (an item names its sources by id and name).</summary>
internal sealed record NewsKeyState(
    string Key,
    string Partition,
    bool IsAlias,
    string Target,
    string Fingerprint,
    IReadOnlyList<string> Related,
    string SourceName);
