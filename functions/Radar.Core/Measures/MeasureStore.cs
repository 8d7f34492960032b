using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Radar.Core.Storage;

namespace Radar.Core.Measures;

/// <summary>A measure as stored: its current content and what the history says about it.</summary>
public sealed record StoredMeasure
{
    public required string RadarId { get; init; }

    public required Measure Measure { get; init; }

    /// <summary>No longer in its source. Nothing is ever deleted; it comes back as <c>restored</c>.</summary>
    public bool Removed { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the last change was recorded.</summary>
    public required DateTimeOffset ChangedAt { get; init; }

    public DateTimeOffset? StatusChangedAt { get; init; }

    public DateTimeOffset? RemovedAt { get; init; }

    /// <summary>Sequence number of the last change.</summary>
    public required int Version { get; init; }

    public string? SourceId { get; init; }

    /// <summary>Time of the measure's last timeline state (an ingest's observation of it comes after).</summary>
    public DateTimeOffset? LastStateAt { get; init; }

    [JsonIgnore]
    public ETag ETag { get; init; }
}

/// <summary>What a write did to one measure: its state before and after and a change that led
/// there (null when only derived bookkeeping changed). A write that brought several changes at
/// once (a backfilled edition) is told as several of these, one per change.</summary>
public sealed record MeasureWrite(StoredMeasure? Existing, StoredMeasure State, MeasureChange? Change);

/// <summary>Another writer changed a measure between our read and our write.</summary>
public sealed class MeasureConcurrencyException(string message, Exception inner) : Exception(message, inner)
{
    /// <summary>How many of the submitted groups (from the first) were written whole before the
    /// conflict: each transaction is its own, so they stay written.</summary>
    public int CommittedGroups { get; init; }

    /// <summary>The measures whose rows were written whole before the conflict (set by the
    /// timeline writer, which knows which group is which measure).</summary>
    public IReadOnlyList<string> CommittedMeasures { get; init; } = [];
}

/// <summary>A radar's row in the <c>Radars</c> table: its definition and its bookkeeping.</summary>
public sealed record RadarRecord
{
    public required string Id { get; init; }

    /// <summary>Null only for a row written before any definition (bookkeeping alone).</summary>
    public RadarDefinition? Definition { get; init; }

    /// <summary>The source that last defined the radar.</summary>
    public string? SourceId { get; init; }

    /// <summary>The source the radar belongs to (one owner per radar); null before the rule existed.</summary>
    public string? Owner { get; init; }

    /// <summary>Changes with every write of the radar's timeline: readers that cache it compare this.</summary>
    public string? Version { get; init; }

    /// <summary>2 once the history is kept as timeline states (older radars are migrated on the next ingest).</summary>
    public int Schema { get; init; }

    /// <summary>The radar's first import without an edition, as one bulk event (null: none, or
    /// every change it made is now explained by an edition before it).</summary>
    public FirstImportRecord? FirstImport { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <param name="At">When the import ran.</param>
public sealed record FirstImportRecord(DateTimeOffset At, string? SourceId, EditionCounts Counts);

/// <summary>One row operation of a write; <see cref="ETag"/> guards replace and delete.</summary>
internal sealed record RowOp(TableTransactionActionType Type, TableEntity Entity, ETag ETag = default);

/// <summary>
/// Measures and their history in one table, <c>Measures</c>, one partition per radar. The record
/// is the timeline of states (<c>s|</c>); the other rows are derived from it and rewritten for the
/// measures a write touches, so readers need one range read for what they show:
/// <list type="bullet">
/// <item><c>s|{measureId}|{ticks:D19}|{origin}</c>: one state of a measure (edition or
/// observation), the whole measure as canonical JSON, or "not on the radar";</item>
/// <item><c>m|{measureId}</c>: the measure's current state;</item>
/// <item><c>c|{inverted ticks}|{measureId}|{sequence}</c>: every change of the radar, newest first;</item>
/// <item><c>h|{measureId}|{inverted sequence}</c>: the same change, in the measure's own history, newest first.</item>
/// </list>
/// A measure's rows are written in one entity group transaction guarded by the ETag of its
/// <c>m|</c> row, so two writers cannot interleave into a wrong history. Radar definitions and
/// bookkeeping live in the small <c>Radars</c> table.
/// </summary>
public sealed class MeasureStore(RadarStorage storage)
{
    /// <summary>The lease every writer of these tables holds: the ingest and the editions backfill.</summary>
    public const string LeaseKind = "measures";

    public const string MeasuresTable = "Measures";
    public const string RadarsTable = "Radars";
    public const int CurrentSchema = 2;
    private const string RadarPartition = "radar";
    private const int MaxActionsPerBatch = 99;    // entity group transactions take 100 operations
    private const int MaxBatchChars = 1_500_000;  // and 4 MiB of payload

    /// <summary>Stores the radar's definition (and who gave it); bookkeeping columns stay.</summary>
    public async Task SaveRadarAsync(RadarDefinition radar, string? sourceId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(RadarsTable, cancellationToken);
        var json = MeasureJson.Serialize(radar);
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(RadarPartition, radar.Id, cancellationToken: cancellationToken);
        if (existing.HasValue && MeasureRows.ReadText(existing.Value!, "Definition") == json && existing.Value!.GetString("SourceId") == sourceId)
        {
            return;
        }

        var entity = new TableEntity(RadarPartition, radar.Id) { ["Title"] = radar.Title, ["SourceId"] = sourceId, ["UpdatedAt"] = at };
        MeasureRows.WriteText(entity, "Definition", json);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<RadarDefinition?> GetRadarAsync(string radarId, CancellationToken cancellationToken) =>
        (await GetRadarRecordAsync(radarId, cancellationToken))?.Definition;

    public async Task<RadarRecord?> GetRadarRecordAsync(string radarId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(RadarsTable, cancellationToken);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(RadarPartition, radarId, cancellationToken: cancellationToken);
        return entity.HasValue ? MeasureRows.ToRecord(entity.Value!) : null;
    }

    public async Task<IReadOnlyList<RadarDefinition>> ListRadarsAsync(CancellationToken cancellationToken) =>
        [.. (await ListRadarEntriesAsync(cancellationToken)).Select(r => r.Radar)];

    /// <summary>Every radar with the source that last defined it.</summary>
    public async Task<IReadOnlyList<(RadarDefinition Radar, string? SourceId)>> ListRadarEntriesAsync(CancellationToken cancellationToken) =>
        [.. (await ListRadarRecordsAsync(cancellationToken)).Select(r => (r.Definition!, r.SourceId))];

    /// <summary>Every radar that has a definition.</summary>
    public async Task<IReadOnlyList<RadarRecord>> ListRadarRecordsAsync(CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(RadarsTable, cancellationToken);
        var radars = new List<RadarRecord>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == RadarPartition, cancellationToken: cancellationToken))
        {
            if (MeasureRows.ToRecord(entity) is { Definition: not null } record)
            {
                radars.Add(record);
            }
        }

        return radars;
    }

    /// <summary>Makes <paramref name="owner"/> the radar's owner (creating the row with the definition if new).</summary>
    public async Task SetOwnerAsync(RadarDefinition radar, string owner, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(RadarsTable, cancellationToken);
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(RadarPartition, radar.Id, cancellationToken: cancellationToken);
        var entity = new TableEntity(RadarPartition, radar.Id) { ["Owner"] = owner };
        if (!existing.HasValue || MeasureRows.ReadText(existing.Value!, "Definition").Length == 0)
        {
            entity["Title"] = radar.Title;
            entity["SourceId"] = owner;
            entity["UpdatedAt"] = at;
            MeasureRows.WriteText(entity, "Definition", MeasureJson.Serialize(radar));
        }

        await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Records a new timeline version (and, when given, the schema and the first import).</summary>
    internal async Task SetTimelineAsync(
        string radarId, string version, int? schema, FirstImportRecord? firstImport, bool setFirstImport, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(RadarsTable, cancellationToken);
        var entity = new TableEntity(RadarPartition, radarId) { ["Version"] = version };
        if (schema is { } s)
        {
            entity["Schema"] = s;
        }

        if (setFirstImport)
        {
            entity["FirstImport"] = firstImport is null ? "" : JsonSerializer.Serialize(firstImport, MeasureJson.Options);
        }

        await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredMeasure>> ListMeasuresAsync(string radarId, CancellationToken cancellationToken)
    {
        var measures = new List<StoredMeasure>();
        await foreach (var entity in RangeAsync(radarId, "m|", "m}", cancellationToken))
        {
            measures.Add(MeasureRows.ToMeasure(entity));
        }

        return measures;
    }

    public async Task<StoredMeasure?> GetMeasureAsync(string radarId, string measureId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(MeasuresTable, cancellationToken);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(radarId, MeasureKey(measureId), cancellationToken: cancellationToken);
        return entity.HasValue ? MeasureRows.ToMeasure(entity.Value!) : null;
    }

    /// <summary>A measure's changes, newest first.</summary>
    public async Task<IReadOnlyList<MeasureChange>> GetHistoryAsync(string radarId, string measureId, CancellationToken cancellationToken)
    {
        var changes = new List<MeasureChange>();
        await foreach (var entity in RangeAsync(radarId, $"h|{measureId}|", $"h|{measureId}}}", cancellationToken))
        {
            changes.Add(MeasureRows.ToChange(entity, radarId));
        }

        return changes;
    }

    /// <summary>Every measure's changes, read from the <c>h|</c> rows (newest first per measure).</summary>
    public async Task<IReadOnlyList<MeasureChange>> ListHistoryAsync(string radarId, CancellationToken cancellationToken)
    {
        var changes = new List<MeasureChange>();
        await foreach (var entity in RangeAsync(radarId, "h|", "h}", cancellationToken))
        {
            changes.Add(MeasureRows.ToChange(entity, radarId));
        }

        return changes;
    }

    /// <summary>The radar's latest changes, newest first, read from the start of the partition's
    /// change rows (no scan beyond what is returned).</summary>
    public async Task<IReadOnlyList<MeasureChange>> GetLatestChangesAsync(string radarId, int take, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(MeasuresTable, cancellationToken);
        var changes = new List<MeasureChange>();
        await foreach (var entity in table.QueryAsync<TableEntity>(
                           e => e.PartitionKey == radarId && e.RowKey.CompareTo("c|") >= 0 && e.RowKey.CompareTo("c}") < 0,
                           maxPerPage: Math.Min(take, 1000),
                           cancellationToken: cancellationToken))
        {
            changes.Add(MeasureRows.ToChange(entity, radarId));
            if (changes.Count >= take)
            {
                break;
            }
        }

        return changes;
    }

    /// <summary>Timeline states: the radar's, or one measure's (timeline order).</summary>
    public async Task<IReadOnlyList<TimelineState>> ListStatesAsync(string radarId, string? measureId, CancellationToken cancellationToken)
    {
        var (from, to) = measureId is null ? ("s|", "s}") : ($"s|{measureId}|", $"s|{measureId}}}");
        var states = new List<TimelineState>();
        await foreach (var entity in RangeAsync(radarId, from, to, cancellationToken))
        {
            states.Add(MeasureRows.ToState(entity));
        }

        return states;
    }

    /// <summary>
    /// Writes groups of row operations in entity group transactions, each group (one measure's
    /// rows) whole in one transaction when it fits. Throws <see cref="MeasureConcurrencyException"/>
    /// when a guard fails (another writer got there first); transactions written before that stay
    /// written, and the caller derives again from what is then stored.
    /// </summary>
    internal async Task SubmitAsync(string radarId, IReadOnlyList<IReadOnlyList<RowOp>> groups, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(MeasuresTable, cancellationToken);
        var batch = new List<TableTransactionAction>();
        var batchChars = 0;
        var committed = 0;   // groups written whole so far
        var pending = 0;     // groups whose last rows are in the open batch
        async Task FlushAsync()
        {
            try
            {
                await SubmitBatchAsync(table, batch, cancellationToken);
            }
            catch (MeasureConcurrencyException ex)
            {
                throw new MeasureConcurrencyException(ex.Message, ex.InnerException!) { CommittedGroups = committed };
            }

            committed += pending;
            pending = 0;
            batch = [];
            batchChars = 0;
        }

        foreach (var group in groups)
        {
            foreach (var chunk in group.Chunk(MaxActionsPerBatch))
            {
                var chars = chunk.Sum(op => Size(op.Entity));
                if (batch.Count > 0 && (batch.Count + chunk.Length > MaxActionsPerBatch || batchChars + chars > MaxBatchChars))
                {
                    await FlushAsync();
                }

                batch.AddRange(chunk.Select(op => new TableTransactionAction(op.Type, op.Entity, op.ETag)));
                batchChars += chars;
            }

            pending++;
        }

        if (batch.Count > 0)
        {
            await FlushAsync();
        }
    }

    private async IAsyncEnumerable<TableEntity> RangeAsync(
        string radarId, string from, string to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(MeasuresTable, cancellationToken);
        await foreach (var entity in table.QueryAsync<TableEntity>(
                           e => e.PartitionKey == radarId && e.RowKey.CompareTo(from) >= 0 && e.RowKey.CompareTo(to) < 0,
                           cancellationToken: cancellationToken))
        {
            yield return entity;
        }
    }

    private static async Task SubmitBatchAsync(TableClient table, List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            throw new MeasureConcurrencyException(
                $"Another writer changed the measures of this radar at the same time ({ex.Status} {ex.ErrorCode}).", ex);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            throw new MeasureConcurrencyException(
                $"Another writer changed the measures of this radar at the same time ({ex.Status} {ex.ErrorCode}).", ex);
        }
    }

    public static string MeasureKey(string measureId) => $"m|{measureId}";

    public static string ChangeKey(MeasureChange change) =>
        string.Create(CultureInfo.InvariantCulture,
            $"c|{DateTimeOffset.MaxValue.UtcTicks - change.At.UtcTicks:D19}|{change.MeasureId}|{change.Sequence:D10}");

    public static string HistoryKey(MeasureChange change) =>
        string.Create(CultureInfo.InvariantCulture, $"h|{change.MeasureId}|{int.MaxValue - change.Sequence:D10}");

    public static string StateKey(TimelineState state) =>
        string.Create(CultureInfo.InvariantCulture, $"s|{state.MeasureId}|{state.At.UtcTicks:D19}|{state.Origin}");

    private static int Size(TableEntity entity) => ((IDictionary<string, object>)entity).Values.Sum(v => v is string s ? s.Length : 16) + 200;
}
