using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Radar.Core.Storage;

namespace Radar.Core.News;

/// <summary>
/// News items in Table storage (the layout: <see cref="NewsTables"/>, docs/architecture.md,
/// "News"). Readers get an item by key (<see cref="GetAsync"/>), every item (the index rebuild)
/// and the listings. The dedupe in front (<see cref="CrossSourceDedupe"/>) decides what an
/// incoming item is; this class reads what it asks for — a partition of dedupe state at a time,
/// records and link claims by key — and writes what it decided as entity group transactions.
/// One writer at a time (the <c>news</c> ingest lease) is assumed; readers may run anywhere.
/// </summary>
public sealed class NewsStore(RadarStorage storage, TimeProvider clock, IEnumerable<INewsBatchObserver>? observers = null)
{
    public const string ItemsTable = NewsTables.Items;
    public const string KeysTable = NewsTables.Keys;
    public const string ClaimsTable = NewsTables.Claims;
    public const string IndexTable = NewsTables.Index;

    // Point reads and transactions in flight at once: enough to keep the storage busy, few enough
    // that one run does not crowd out everything else that talks to it.
    private const int ReadsAtOnce = 16;
    private const int TransactionsAtOnce = 8;

    private static readonly TimeSpan LegacyRecheck = TimeSpan.FromSeconds(30);

    private readonly INewsBatchObserver[] _observers = observers?.ToArray() ?? [];
    private readonly Lock _legacyGate = new();
    private (bool Exists, DateTimeOffset CheckedAt)? _legacy;

    internal RadarStorage Storage => storage;

    internal DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>The item with its content, by its key or by a key that was merged into it.</summary>
    public async Task<NewsItem?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var record = (await ReadRecordsAsync([key], cancellationToken))[key];
        if (record.Alias is { } alias)
        {
            record = (await ReadRecordsAsync([alias.Target], cancellationToken))[alias.Target];
        }

        if (record.Item is { } item)
        {
            return item.Item;
        }

        // Until the first layout is migrated, what is not here yet is still there.
        return await LegacyTableAsync(NewsTables.LegacyItems, cancellationToken) is { } legacy
            ? await GetLegacyAsync(legacy, key, cancellationToken)
            : null;
    }

    /// <summary>Every stored item with its content (aliases left out), in no particular order:
    /// what rebuilding the search index reads.</summary>
    public async IAsyncEnumerable<NewsItem> ListAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var items = await storage.GetTableAsync(NewsTables.Items, cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"Kind eq {NewsTables.ItemKind}");
        await foreach (var row in items.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            seen.Add(row.RowKey);
            yield return NewsTables.ReadStored(row, row.RowKey).Item;
        }

        if (await LegacyTableAsync(NewsTables.LegacyItems, cancellationToken) is { } legacy)
        {
            await foreach (var row in legacy.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (!seen.Contains(row.PartitionKey))
                {
                    yield return NewsTables.ReadStored(row, row.PartitionKey).Item;
                }
            }
        }
    }

    /// <summary>The latest items, newest first. Page N skips (N-1)×size rows reading their keys only.</summary>
    public async Task<NewsPage> ListAsync(NewsQuery query, CancellationToken cancellationToken)
    {
        var index = await storage.GetTableAsync(NewsTables.Index, cancellationToken);
        var partition = query.Tag is { } tag ? TagPartition(tag)
            : query.Source is { } source ? SourcePartition(source)
            : NewsTables.AllPartition;
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

            entries.Add(NewsTables.ReadEntry(row));
        }

        return new NewsPage(query.Page, query.PageSize, hasMore, query.Source, query.Tag, entries);
    }

    /// <summary>The index partition of a tag: its folded form, hashed when it holds characters a
    /// table key may not.</summary>
    public static string TagPartition(string tag) => NewsTables.TagPartition(tag);

    public static string SourcePartition(string sourceId) => NewsTables.SourcePartition(sourceId);

    /// <summary>RowKey in the index: newest first by inverted ticks, the key makes it unique.</summary>
    public static string IndexRowKey(DateTimeOffset published, string key) => NewsTables.IndexRowKey(published, key);

    /// <summary>The partition of <c>NewsItems</c> that holds <paramref name="key"/>'s row.</summary>
    public static string ItemPartition(string key) => NewsTables.ItemPartition(key);

    /// <summary>Every key's dedupe state in the given <c>NewsKeys</c> partitions (a source and a
    /// month each): one range query per run of months of a source (<see cref="KeyRanges"/>), not
    /// one query per month. A feed's items span a year of months or more; a range reads the same
    /// rows in one round trip (and the storage emulator scans its whole table for every query, so
    /// there a query per month cost as much as the table is large).</summary>
    internal async Task<Dictionary<string, NewsKeyState>> ReadKeysAsync(IEnumerable<string> partitions, CancellationToken cancellationToken)
    {
        var keys = await storage.GetTableAsync(NewsTables.Keys, cancellationToken);
        var found = new Dictionary<string, NewsKeyState>(StringComparer.Ordinal);
        var gate = new Lock();
        await Parallel.ForEachAsync(
            KeyRanges(partitions),
            new ParallelOptions { MaxDegreeOfParallelism = TransactionsAtOnce, CancellationToken = cancellationToken },
            async (range, ct) =>
            {
                var filter = range.From == range.To
                    ? TableClient.CreateQueryFilter($"PartitionKey eq {range.From}")
                    : TableClient.CreateQueryFilter($"PartitionKey ge {range.From} and PartitionKey le {range.To}");
                await foreach (var row in keys.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
                {
                    // Only this source's month partitions: another source's id could sort in between.
                    if (row.PartitionKey.Length != range.From.Length || !row.PartitionKey.StartsWith(range.Source, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    lock (gate)
                    {
                        found[row.RowKey] = NewsTables.ReadKey(row);
                    }
                }
            });
        return found;
    }

    /// <summary>The longest run of months without items that a range query reads through: the
    /// rows it reads besides the asked-for partitions stay bounded by the feed's own span.</summary>
    internal const int KeyRangeGapMonths = 2;

    /// <summary>The partitions (<c>{source}|yyyy-MM</c>) as ranges: per source, consecutive
    /// months (gaps of up to <see cref="KeyRangeGapMonths"/> bridged) become one range. A feed
    /// with one item from long ago gets two ranges, not every month in between.</summary>
    internal static List<(string Source, string From, string To)> KeyRanges(IEnumerable<string> partitions)
    {
        var ranges = new List<(string Source, string From, string To)>();
        foreach (var group in partitions.Distinct(StringComparer.Ordinal).GroupBy(p => p[..(p.LastIndexOf('|') + 1)], StringComparer.Ordinal))
        {
            var months = group.Select(p => (Partition: p, Month: MonthNumber(p[group.Key.Length..])))
                .OrderBy(m => m.Month).ThenBy(m => m.Partition, StringComparer.Ordinal).ToList();
            var (from, last) = (months[0], months[0]);
            foreach (var month in months.Skip(1))
            {
                if (from.Month is null || month.Month is null || month.Month - last.Month > KeyRangeGapMonths + 1)
                {
                    ranges.Add((group.Key, from.Partition, last.Partition));
                    from = month;
                }

                last = month;
            }

            ranges.Add((group.Key, from.Partition, last.Partition));
        }

        return ranges;

        // yyyy-MM as a month count; null for anything else (then that partition is a range of its own).
        static int? MonthNumber(string month) =>
            month.Length == 7 && month[4] == '-' && int.TryParse(month[..4], CultureInfo.InvariantCulture, out var year) && int.TryParse(month[5..], CultureInfo.InvariantCulture, out var m)
                ? (year * 12) + m
                : null;
    }

    /// <summary>The <c>NewsItems</c> rows of <paramref name="keys"/> (<see cref="NewsRecord.None"/>
    /// for a key without one), point reads a few at a time.</summary>
    internal async Task<Dictionary<string, NewsRecord>> ReadRecordsAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var items = await storage.GetTableAsync(NewsTables.Items, cancellationToken);
        return await ReadAllAsync(keys, async (key, ct) =>
        {
            var row = await GetRowAsync(items, NewsTables.ItemPartition(key), key, ct);
            return NewsTables.ReadRecord(row, key);
        }, cancellationToken);
    }

    /// <summary>Which key claims each of <paramref name="links"/> (null: none), point reads.</summary>
    internal async Task<Dictionary<string, string?>> ReadClaimsAsync(IEnumerable<string> links, CancellationToken cancellationToken)
    {
        var claims = await storage.GetTableAsync(NewsTables.Claims, cancellationToken);
        return await ReadAllAsync(links, async (link, ct) =>
        {
            var hash = NewsTables.LinkHash(link);
            var row = await GetRowAsync(claims, NewsTables.ClaimPartition(hash), hash, ct);
            return row?.GetString("Target");
        }, cancellationToken);
    }

    /// <summary>Writes <paramref name="writes"/> into <paramref name="table"/> as transactions,
    /// counting them in <paramref name="log"/>.</summary>
    internal async Task<TableBatchResult> WriteAsync(string table, IReadOnlyList<TableWrite> writes, NewsWriteLog log, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return TableBatchResult.Empty;
        }

        await log.BeforeFirstWriteAsync(cancellationToken);
        var client = await storage.GetTableAsync(table, cancellationToken);
        return await TableBatches.SubmitAsync(client, writes, TransactionsAtOnce, async (entities, ct) =>
        {
            log.Committed(entities);
            foreach (var observer in _observers)
            {
                await observer.BatchCommittedAsync(new NewsBatchCommitted(table, entities), ct);
            }
        }, cancellationToken);
    }

    /// <summary>A table of the first layout while it still exists (null once migrated).</summary>
    internal async Task<TableClient?> LegacyTableAsync(string name, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        lock (_legacyGate)
        {
            if (_legacy is { Exists: false } || (_legacy is { Exists: true } known && now - known.CheckedAt < LegacyRecheck))
            {
                return _legacy.Value.Exists ? storage.TableService.GetTableClient(storage.TableName(name)) : null;
            }
        }

        var exists = await TableExistsAsync(storage, name, cancellationToken);
        lock (_legacyGate)
        {
            _legacy = (exists, now);
        }

        return exists ? storage.TableService.GetTableClient(storage.TableName(name)) : null;
    }

    /// <summary>Forget what is known about the first layout's tables (after a migration).</summary>
    internal void LegacyGone()
    {
        lock (_legacyGate)
        {
            _legacy = (false, clock.GetUtcNow());
        }
    }

    internal static async Task<bool> TableExistsAsync(RadarStorage storage, string name, CancellationToken cancellationToken)
    {
        var full = storage.TableName(name);
        await foreach (var _ in storage.TableService.QueryAsync(TableClient.CreateQueryFilter($"TableName eq {full}"), cancellationToken: cancellationToken))
        {
            return true;
        }

        return false;
    }

    internal static async Task<TableEntity?> GetRowAsync(TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            return response.HasValue ? response.Value : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null; // the table itself is gone (a first-layout table after its migration)
        }
    }

    private static async Task<NewsItem?> GetLegacyAsync(TableClient legacy, string key, CancellationToken cancellationToken)
    {
        var row = await GetRowAsync(legacy, key, NewsTables.LegacyRow, cancellationToken);
        var record = NewsTables.ReadRecord(row, key);
        if (record.Alias is { } alias)
        {
            record = NewsTables.ReadRecord(await GetRowAsync(legacy, alias.Target, NewsTables.LegacyRow, cancellationToken), alias.Target);
        }

        return record.Item?.Item;
    }

    private static async Task<Dictionary<string, T>> ReadAllAsync<T>(
        IEnumerable<string> keys, Func<string, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        var gate = new Lock();
        await Parallel.ForEachAsync(
            keys.Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = ReadsAtOnce, CancellationToken = cancellationToken },
            async (key, ct) =>
            {
                var value = await read(key, ct);
                lock (gate)
                {
                    result[key] = value;
                }
            });
        return result;
    }
}
