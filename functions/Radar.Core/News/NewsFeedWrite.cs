using Azure;
using Azure.Data.Tables;
using Radar.Core.Storage;

namespace Radar.Core.News;

/// <summary>
/// Writes one feed's candidates (<see cref="CrossSourceDedupe"/> decides the rules; this is how
/// they reach the tables in batches). Two paths:
/// <list type="number">
/// <item><b>New keys, optimistically.</b> A key <c>NewsKeys</c> does not know, whose link no other
/// candidate of the feed shares, is taken to be new: its link claim and its record are written
/// with <c>Add</c>, which fails when the row is there already — a story another source claimed
/// first, a key filed under another month, a run cut short after writing it. Those go to the
/// careful path; for the rest no read was needed at all.</item>
/// <item><b>Careful.</b> Known keys with something to write, and what the first path sent on:
/// their records, alias targets and link claims are read (point reads, a few at a time), each is
/// decided in feed order against what was read and what this feed decided before it, and the
/// result written in batches.</item>
/// </list>
/// Rows are written in an order that makes a run cut short anywhere harmless: link claims, then
/// records, then listing rows, then <c>NewsKeys</c> rows last. A key's <c>NewsKeys</c> row is what
/// makes the next run call it unchanged, so until it is written the next run finds the key unknown
/// (or with an old fingerprint) and writes everything again; every write is an upsert of the same
/// rows, so nothing is doubled. A moved <c>NewsKeys</c> row is deleted from its old partition
/// before it is written to the new one, and the record names where it is (<c>KeyFiled</c>).
/// </summary>
internal sealed class NewsFeedWrite(NewsStore store, NewsSourceRef source, IReadOnlyList<NewsCandidate> candidates, NewsWriteLog log)
{
    private readonly Dictionary<int, NewsStoreResult> _results = [];
    private readonly DateTimeOffset _now = store.Now;

    // The careful path's view: rows as read, and what this feed decided on top of them.
    private readonly Dictionary<string, NewsRecord> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NewsAlias> _aliases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _claimWrites = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _keyFiledOnly = new(StringComparer.Ordinal);
    private readonly List<(string Partition, string Key)> _keyMoves = [];
    private readonly Dictionary<int, NewsKeyState> _keyRows = [];
    private readonly Dictionary<int, List<string>> _dependsOn = [];

    public async Task<IReadOnlyList<NewsStoreResult>> RunAsync(CancellationToken cancellationToken)
    {
        var (fast, careful) = Split();
        careful.AddRange(await WriteNewAsync(fast, cancellationToken));
        careful.Sort((a, b) => a.Position.CompareTo(b.Position));
        await WriteCarefullyAsync(careful, cancellationToken);
        return [.. candidates.Select(c => _results[c.Position])];
    }

    /// <summary>Unknown keys go the optimistic way unless their link is shared with another
    /// candidate: the first of two new items with one link must be stored before the second can
    /// be merged into it, and a known item may claim the link in feed order.</summary>
    private (List<NewsCandidate> Fast, List<NewsCandidate> Careful) Split()
    {
        var knownLinks = candidates.Where(c => c.Known is not null && c.Item.Link is not null).Select(c => c.Item.Link!).ToHashSet(StringComparer.Ordinal);
        var linkCount = candidates.Where(c => c.Item.Link is not null).CountBy(c => c.Item.Link!, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        var fast = new List<NewsCandidate>();
        var careful = new List<NewsCandidate>();
        foreach (var candidate in candidates)
        {
            var shared = candidate.Item.Link is { } link && (knownLinks.Contains(link) || linkCount[link] > 1);
            (candidate.Known is null && !shared ? fast : careful).Add(candidate);
        }

        return (fast, careful);
    }

    /// <summary>The optimistic path; returns the candidates that turned out not to be new.</summary>
    private async Task<List<NewsCandidate>> WriteNewAsync(List<NewsCandidate> fast, CancellationToken cancellationToken)
    {
        if (fast.Count == 0)
        {
            return [];
        }

        var byKey = fast.ToDictionary(c => c.Item.Key, StringComparer.Ordinal);
        var notNew = new List<NewsCandidate>();
        var remaining = new Dictionary<string, NewsCandidate>(byKey, StringComparer.Ordinal);

        void Apply(TableBatchResult result)
        {
            foreach (var rejected in result.Rejected)
            {
                if (!remaining.Remove(rejected.Write.Owner, out var candidate))
                {
                    continue;
                }

                if (rejected.Failure == TableWriteFailure.Conflict)
                {
                    notNew.Add(candidate);
                }
                else
                {
                    Refuse(candidate, rejected.Code);
                }
            }
        }

        Apply(await store.WriteAsync(NewsTables.Claims, [.. fast
            .Where(c => c.Item.Link is not null)
            .Select(c => new TableWrite(new TableTransactionAction(TableTransactionActionType.Add, NewsTables.ClaimEntity(c.Item.Link!, c.Item.Key)), c.Item.Key))],
            log, cancellationToken));
        Apply(await store.WriteAsync(NewsTables.Items, [.. remaining.Values
            .Select(c => new TableWrite(new TableTransactionAction(TableTransactionActionType.Add,
                NewsTables.ItemEntity(c.Item, c.Fingerprint, _now, _now, c.KeyPartition)), c.Item.Key))],
            log, cancellationToken));
        Apply(await store.WriteAsync(NewsTables.Index, [.. remaining.Values
            .SelectMany(c => NewsTables.IndexPartitions(c.Item).Select(p => Upsert(NewsTables.IndexEntity(c.Item, p), c.Item.Key)))],
            log, cancellationToken));
        Apply(await store.WriteAsync(NewsTables.Keys, [.. remaining.Values
            .Select(c => Upsert(NewsTables.KeyEntity(KeyState(c, alias: false, c.Item.Key)), c.Item.Key))],
            log, cancellationToken));

        foreach (var candidate in remaining.Values)
        {
            _results[candidate.Position] = new NewsStoreResult(candidate.Position, NewsUpsertOutcome.New, candidate.Item.Key, candidate.Item);
        }

        return notNew;
    }

    private async Task WriteCarefullyAsync(List<NewsCandidate> careful, CancellationToken cancellationToken)
    {
        if (careful.Count == 0)
        {
            return;
        }

        // Everything the decisions below will most likely ask for, read up front a few at a time.
        await LoadRecordsAsync(careful.Select(c => c.Item.Key), cancellationToken);
        await LoadRecordsAsync(careful.Select(c => c.Known is { IsAlias: true } known ? known.Target : _records[c.Item.Key].Alias?.Target).OfType<string>(), cancellationToken);
        await LoadClaimsAsync(careful.Select(c => c.Item.Link).OfType<string>(), cancellationToken);
        await LoadRecordsAsync(_claims.Values.OfType<string>(), cancellationToken);

        foreach (var candidate in careful)
        {
            await DecideAsync(candidate, cancellationToken);
        }

        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        void Refused(TableBatchResult result)
        {
            foreach (var rejected in result.Rejected)
            {
                refused.TryAdd(rejected.Write.Owner, rejected.Code);
            }
        }

        await store.WriteAsync(NewsTables.Claims, [.. _claimWrites.Select(claim => claim.Value is { } target
            ? Upsert(NewsTables.ClaimEntity(claim.Key, target), target)
            : Delete(NewsTables.ClaimEntity(claim.Key, ""), ""))], log, cancellationToken);
        await store.WriteAsync(NewsTables.Keys, [.. _keyMoves.Select(m => Delete(new TableEntity(m.Partition, m.Key), m.Key))], log, cancellationToken);
        Refused(await store.WriteAsync(NewsTables.Items, [..
            _pending.Values.Select(p => Upsert(NewsTables.ItemEntity(p.Next, p.Fingerprint, p.FirstSeen, _now, p.KeyFiled), p.Key))
                .Concat(_aliases.Values.Select(a => Upsert(NewsTables.AliasEntity(a), a.Key)))
                .Concat(_keyFiledOnly.Select(k => new TableWrite(new TableTransactionAction(TableTransactionActionType.UpsertMerge,
                    new TableEntity(NewsTables.ItemPartition(k.Key), k.Key) { ["KeyFiled"] = k.Value }), k.Key)))],
            log, cancellationToken));

        var written = _pending.Values.Where(p => !refused.ContainsKey(p.Key)).ToList();
        Refused(await store.WriteAsync(NewsTables.Index, [.. written.SelectMany(Listing)], log, cancellationToken));

        var skipped = careful
            .Select(c => (c.Position, Code: _dependsOn[c.Position].Select(refused.GetValueOrDefault).FirstOrDefault(code => code is not null)))
            .Where(s => s.Code is not null)
            .ToDictionary(s => s.Position, s => s.Code!);
        await store.WriteAsync(NewsTables.Keys, [.. _keyRows
            .Where(k => !skipped.ContainsKey(k.Key))
            .Select(k => Upsert(NewsTables.KeyEntity(k.Value), k.Value.Key))], log, cancellationToken);

        foreach (var candidate in careful)
        {
            var result = _results[candidate.Position];
            _results[candidate.Position] = skipped.TryGetValue(candidate.Position, out var code)
                ? result with { Refused = code, Stored = null }
                : result with { Stored = result.Stored is null ? null : _pending.GetValueOrDefault(result.Key)?.Next ?? result.Stored };
        }
    }

    private async Task DecideAsync(NewsCandidate candidate, CancellationToken cancellationToken)
    {
        var incoming = candidate.Item;
        var key = incoming.Key;
        var record = await RecordAsync(key, cancellationToken);
        var filedAt = candidate.Known?.Partition ?? record.Item?.KeyFiled ?? record.Alias?.KeyFiled;
        if (filedAt is not null && filedAt != candidate.KeyPartition)
        {
            _keyMoves.Add((filedAt, key));
        }

        _dependsOn[candidate.Position] = [key];

        if (record.Alias is { } alias && await CurrentAsync(alias.Target, cancellationToken) is { } target)
        {
            var edited = alias.Fingerprint != candidate.Fingerprint;
            if (!edited && CrossSourceDedupe.Names(target.Item, source))
            {
                Decided(candidate, NewsUpsertOutcome.Unchanged, target.Item.Key, candidate.Known is null ? target.Item : null);
                if (candidate.Known is null)
                {
                    // Not found where it belongs: a run may have stopped before the listing rows.
                    await SetPendingAsync(target.Item.Key, target.Item, null, null, candidate, cancellationToken);
                }
            }
            else
            {
                var next = edited ? CrossSourceDedupe.Merge(target.Item, incoming) : CrossSourceDedupe.WithSource(target.Item, source);
                await SetPendingAsync(target.Item.Key, next, null, null, candidate, cancellationToken);
                Decided(candidate, NewsUpsertOutcome.Updated, target.Item.Key, next);
            }

            _aliases[key] = alias with { SourceId = source.Id, Fingerprint = candidate.Fingerprint, KeyFiled = candidate.KeyPartition };
            _keyRows[candidate.Position] = KeyState(candidate, alias: true, target.Item.Key);
            return;
        }

        if (record.Item is { } own)
        {
            if (own.Fingerprint == candidate.Fingerprint && CrossSourceDedupe.Names(own.Item, source))
            {
                Decided(candidate, NewsUpsertOutcome.Unchanged, key, candidate.Known is null ? own.Item : null);
                if (candidate.Known is null)
                {
                    await SetPendingAsync(key, own.Item, null, candidate.KeyPartition, candidate, cancellationToken);
                }
                else if (own.KeyFiled != candidate.KeyPartition)
                {
                    _keyFiledOnly[key] = candidate.KeyPartition;
                }
            }
            else
            {
                var next = CrossSourceDedupe.Merge(own.Item, incoming);
                await SetPendingAsync(key, next, candidate.Fingerprint, candidate.KeyPartition, candidate, cancellationToken);
                Decided(candidate, NewsUpsertOutcome.Updated, key, next);
            }

            _keyRows[candidate.Position] = KeyState(candidate, alias: false, key);
            return;
        }

        // A new key (or an alias whose story is gone: it starts afresh, its row is overwritten).
        if (incoming.Link is { } link
            && await ClaimedItemAsync(link, cancellationToken) is { } claimant && claimant != key
            && await CurrentAsync(claimant, cancellationToken) is { } existing)
        {
            var next = existing.Item;
            if (!CrossSourceDedupe.Names(existing.Item, source))
            {
                next = CrossSourceDedupe.WithSource(existing.Item, source);
                await SetPendingAsync(claimant, next, null, null, candidate, cancellationToken);
            }

            _aliases[key] = new NewsAlias(key, claimant, source.Id, candidate.Fingerprint, candidate.KeyPartition);
            _keyRows[candidate.Position] = KeyState(candidate, alias: true, claimant);
            Decided(candidate, NewsUpsertOutcome.Merged, claimant, next);
            return;
        }

        await SetPendingAsync(key, incoming, candidate.Fingerprint, candidate.KeyPartition, candidate, cancellationToken);
        _keyRows[candidate.Position] = KeyState(candidate, alias: false, key);
        Decided(candidate, NewsUpsertOutcome.New, key, incoming);
    }

    /// <summary>Makes <paramref name="next"/> what is written for <paramref name="key"/>, keeping
    /// its fingerprint and filing unless given, and moves its link claim along.</summary>
    private async Task SetPendingAsync(string key, NewsItem next, string? fingerprint, string? keyFiled, NewsCandidate by, CancellationToken cancellationToken)
    {
        string? previousLink;
        if (_pending.TryGetValue(key, out var pending))
        {
            previousLink = pending.Next.Link;
            pending.Next = next;
            pending.Fingerprint = fingerprint ?? pending.Fingerprint;
            pending.KeyFiled = keyFiled ?? pending.KeyFiled;
        }
        else
        {
            var stored = _records.GetValueOrDefault(key)?.Item;
            previousLink = stored?.Item.Link;
            _pending[key] = new Pending(key, stored)
            {
                Next = next,
                Fingerprint = fingerprint ?? stored?.Fingerprint ?? "",
                FirstSeen = stored?.FirstSeen ?? _now,
                KeyFiled = keyFiled ?? stored?.KeyFiled,
            };
        }

        if (!_dependsOn[by.Position].Contains(key))
        {
            _dependsOn[by.Position].Add(key);
        }

        // The link goes to the first item that claims it; a claim whose item is gone (or is an
        // alias: a run cut short after an optimistic claim) is taken over.
        if (next.Link is { } link && await ClaimAsync(link, cancellationToken) is var claimant && claimant != key)
        {
            var holder = await ClaimedItemAsync(link, cancellationToken);
            if (holder is null || holder == key)
            {
                SetClaim(link, key);
            }
        }

        if (previousLink is { } old && old != next.Link && await ClaimAsync(old, cancellationToken) == key)
        {
            SetClaim(old, null);
        }
    }

    /// <summary>The live item that claims <paramref name="link"/>: the claimant, or the story it
    /// points at when the claimant is an alias (an optimistic claim of a run cut short before it
    /// learnt the key was an alias); null when the claim is free or its item is gone.</summary>
    private async Task<string?> ClaimedItemAsync(string link, CancellationToken cancellationToken)
    {
        if (await ClaimAsync(link, cancellationToken) is not { } claimant)
        {
            return null;
        }

        if (await CurrentAsync(claimant, cancellationToken) is not null)
        {
            return claimant;
        }

        var alias = _aliases.GetValueOrDefault(claimant) ?? (await RecordAsync(claimant, cancellationToken)).Alias;
        return alias is not null && await CurrentAsync(alias.Target, cancellationToken) is not null ? alias.Target : null;
    }

    private void SetClaim(string link, string? key)
    {
        _claims[link] = key;
        _claimWrites[link] = key;
    }

    private void Decided(NewsCandidate candidate, NewsUpsertOutcome outcome, string key, NewsItem? stored) =>
        _results[candidate.Position] = new NewsStoreResult(candidate.Position, outcome, key, stored);

    private void Refuse(NewsCandidate candidate, string code) =>
        _results[candidate.Position] = new NewsStoreResult(candidate.Position, NewsUpsertOutcome.New, candidate.Item.Key, null, code);

    /// <summary>The item stored (or about to be) under <paramref name="key"/>; null for an alias or nothing.</summary>
    private async Task<StoredNewsItem?> CurrentAsync(string key, CancellationToken cancellationToken)
    {
        if (_pending.TryGetValue(key, out var pending))
        {
            return new StoredNewsItem(pending.Next, pending.Fingerprint, pending.FirstSeen, pending.KeyFiled);
        }

        return (await RecordAsync(key, cancellationToken)).Item;
    }

    private async Task<NewsRecord> RecordAsync(string key, CancellationToken cancellationToken)
    {
        if (!_records.TryGetValue(key, out var record))
        {
            await LoadRecordsAsync([key], cancellationToken);
            record = _records[key];
        }

        return record;
    }

    private async Task<string?> ClaimAsync(string link, CancellationToken cancellationToken)
    {
        if (!_claims.TryGetValue(link, out var claimant))
        {
            await LoadClaimsAsync([link], cancellationToken);
            claimant = _claims[link];
        }

        return claimant;
    }

    private async Task LoadRecordsAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var missing = keys.Where(k => !_records.ContainsKey(k)).ToList();
        foreach (var (key, record) in await store.ReadRecordsAsync(missing, cancellationToken))
        {
            _records[key] = record;
        }
    }

    private async Task LoadClaimsAsync(IEnumerable<string> links, CancellationToken cancellationToken)
    {
        var missing = links.Where(l => !_claims.ContainsKey(l)).ToList();
        foreach (var (link, claimant) in await store.ReadClaimsAsync(missing, cancellationToken))
        {
            _claims[link] = claimant;
        }
    }

    private NewsKeyState KeyState(NewsCandidate candidate, bool alias, string target) => new(
        candidate.Item.Key, candidate.KeyPartition, alias, target, candidate.Fingerprint, candidate.Item.RelatedMeasures, source.Name);

    /// <summary>The listing rows of a written record: its rows now, and those of what it was that
    /// it no longer has (another date moves the row; a dropped tag leaves a partition).</summary>
    private static IEnumerable<TableWrite> Listing(Pending pending)
    {
        var rows = NewsTables.IndexPartitions(pending.Next).Select(p => NewsTables.IndexEntity(pending.Next, p)).ToList();
        foreach (var row in rows)
        {
            yield return Upsert(row, pending.Key);
        }

        if (pending.Original is { } original)
        {
            var now = rows.Select(r => (r.PartitionKey, r.RowKey)).ToHashSet();
            var rowKey = NewsTables.IndexRowKey(original.Item.Published, original.Item.Key);
            foreach (var partition in NewsTables.IndexPartitions(original.Item).Where(p => !now.Contains((p, rowKey))))
            {
                yield return Delete(new TableEntity(partition, rowKey), pending.Key);
            }
        }
    }

    private static TableWrite Upsert(TableEntity entity, string owner) =>
        new(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity), owner);

    private static TableWrite Delete(TableEntity entity, string owner) =>
        new(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All), owner);

    /// <summary>A record this feed writes: as read (null: new) and as it will be.</summary>
    private sealed class Pending(string key, StoredNewsItem? original)
    {
        public string Key => key;

        public StoredNewsItem? Original => original;

        public required NewsItem Next { get; set; }

        public required string Fingerprint { get; set; }

        public required DateTimeOffset FirstSeen { get; init; }

        public string? KeyFiled { get; set; }
    }
}
