using System.Globalization;
using System.Text.Json;
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

    public ETag ETag { get; init; }
}

/// <summary>A measure's new state and the change that leads to it, written together.</summary>
public sealed record MeasureWrite(StoredMeasure? Existing, StoredMeasure State, MeasureChange? Change);

/// <summary>Another writer changed a measure between our read and our write.</summary>
public sealed class MeasureConcurrencyException(string message, Exception inner) : Exception(message, inner)
{
    /// <summary>The writes of the batches committed before the one that conflicted: they stay
    /// written (each batch is a transaction of its own).</summary>
    public IReadOnlyList<MeasureWrite> Committed { get; init; } = [];
}

/// <summary>
/// Measures and their changes in one table, <c>Measures</c>, one partition per radar, so that a
/// measure's new state and its change commit in one entity group transaction guarded by the
/// measure's ETag: two ingests cannot interleave into a wrong history. Row keys:
/// <list type="bullet">
/// <item><c>m|{measureId}</c>: the measure's current state;</item>
/// <item><c>c|{inverted ticks}|{measureId}|{sequence}</c>: every change of the radar, newest first;</item>
/// <item><c>h|{measureId}|{inverted sequence}</c>: the same change, in the measure's own history, newest first.</item>
/// </list>
/// Radar definitions live in the small <c>Radars</c> table.
/// </summary>
public sealed class MeasureStore(RadarStorage storage)
{
    public const string MeasuresTable = "Measures";
    public const string RadarsTable = "Radars";
    private const string RadarPartition = "radar";
    private const int MaxChunk = 30_000;          // characters per string property (the limit is 64 KiB of UTF-16)
    private const int MaxActionsPerBatch = 99;    // entity group transactions take 100 operations
    private const int MaxBatchChars = 1_500_000;  // and 4 MiB of payload

    public async Task SaveRadarAsync(RadarDefinition radar, string? sourceId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(RadarsTable, cancellationToken);
        var json = MeasureJson.Serialize(radar);
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(RadarPartition, radar.Id, cancellationToken: cancellationToken);
        if (existing.HasValue && ReadText(existing.Value!, "Definition") == json)
        {
            return;
        }

        var entity = new TableEntity(RadarPartition, radar.Id) { ["Title"] = radar.Title, ["SourceId"] = sourceId, ["UpdatedAt"] = at };
        WriteText(entity, "Definition", json);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<RadarDefinition?> GetRadarAsync(string radarId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(RadarsTable, cancellationToken);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(RadarPartition, radarId, cancellationToken: cancellationToken);
        return entity.HasValue ? MeasureJson.Deserialize<RadarDefinition>(ReadText(entity.Value!, "Definition")) : null;
    }

    public async Task<IReadOnlyList<RadarDefinition>> ListRadarsAsync(CancellationToken cancellationToken) =>
        [.. (await ListRadarEntriesAsync(cancellationToken)).Select(r => r.Radar)];

    /// <summary>Every radar with the source that last defined it.</summary>
    public async Task<IReadOnlyList<(RadarDefinition Radar, string? SourceId)>> ListRadarEntriesAsync(CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(RadarsTable, cancellationToken);
        var radars = new List<(RadarDefinition, string?)>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == RadarPartition, cancellationToken: cancellationToken))
        {
            radars.Add((MeasureJson.Deserialize<RadarDefinition>(ReadText(entity, "Definition")), entity.GetString("SourceId")));
        }

        return radars;
    }

    public async Task<IReadOnlyList<StoredMeasure>> ListMeasuresAsync(string radarId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(MeasuresTable, cancellationToken);
        var measures = new List<StoredMeasure>();
        await foreach (var entity in table.QueryAsync<TableEntity>(
                           e => e.PartitionKey == radarId && e.RowKey.CompareTo("m|") >= 0 && e.RowKey.CompareTo("m}") < 0,
                           cancellationToken: cancellationToken))
        {
            measures.Add(ToMeasure(entity));
        }

        return measures;
    }

    public async Task<StoredMeasure?> GetMeasureAsync(string radarId, string measureId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(MeasuresTable, cancellationToken);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(radarId, MeasureKey(measureId), cancellationToken: cancellationToken);
        return entity.HasValue ? ToMeasure(entity.Value!) : null;
    }

    /// <summary>A measure's changes, newest first.</summary>
    public async Task<IReadOnlyList<MeasureChange>> GetHistoryAsync(string radarId, string measureId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(MeasuresTable, cancellationToken);
        var from = $"h|{measureId}|";
        var to = $"h|{measureId}}}";
        var changes = new List<MeasureChange>();
        await foreach (var entity in table.QueryAsync<TableEntity>(
                           e => e.PartitionKey == radarId && e.RowKey.CompareTo(from) >= 0 && e.RowKey.CompareTo(to) < 0,
                           cancellationToken: cancellationToken))
        {
            changes.Add(ToChange(entity, radarId));
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
            changes.Add(ToChange(entity, radarId));
            if (changes.Count >= take)
            {
                break;
            }
        }

        return changes;
    }

    /// <summary>
    /// Writes measures and their changes in entity group transactions. Each measure's row goes
    /// with its change rows in the same batch, under the ETag the measure had when it was read
    /// (or "must not exist yet" for a new one). Throws <see cref="MeasureConcurrencyException"/>
    /// when another writer got there first; batches written before that stay written and are
    /// consistent on their own.
    /// </summary>
    public async Task ApplyAsync(string radarId, IReadOnlyList<MeasureWrite> writes, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(MeasuresTable, cancellationToken);
        var batch = new List<TableTransactionAction>();
        var batchWrites = new List<MeasureWrite>();
        var committed = new List<MeasureWrite>();
        var batchChars = 0;
        foreach (var write in writes)
        {
            var actions = new List<TableTransactionAction>();
            var measure = ToEntity(write.State);
            actions.Add(write.Existing is null
                ? new TableTransactionAction(TableTransactionActionType.Add, measure)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, measure, write.Existing.ETag));
            if (write.Change is { } change)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, ToEntity(change, ChangeKey(change))));
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, ToEntity(change, HistoryKey(change))));
            }

            var chars = actions.Sum(a => Size((TableEntity)a.Entity));
            if (batch.Count > 0 && (batch.Count + actions.Count > MaxActionsPerBatch || batchChars + chars > MaxBatchChars))
            {
                await SubmitAsync(table, batch, batchWrites, committed, cancellationToken);
                batch = [];
                batchWrites = [];
                batchChars = 0;
            }

            batch.AddRange(actions);
            batchWrites.Add(write);
            batchChars += chars;
        }

        if (batch.Count > 0)
        {
            await SubmitAsync(table, batch, batchWrites, committed, cancellationToken);
        }
    }

    private static async Task SubmitAsync(
        TableClient table, List<TableTransactionAction> batch, List<MeasureWrite> batchWrites, List<MeasureWrite> committed, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
            committed.AddRange(batchWrites);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // TableTransactionFailedException is one of these too.
            throw new MeasureConcurrencyException(
                $"Another writer changed the measures of this radar at the same time ({ex.Status} {ex.ErrorCode}).", ex)
            {
                Committed = [.. committed],
            };
        }
    }

    public static string MeasureKey(string measureId) => $"m|{measureId}";

    public static string ChangeKey(MeasureChange change) =>
        string.Create(CultureInfo.InvariantCulture,
            $"c|{DateTimeOffset.MaxValue.UtcTicks - change.At.UtcTicks:D19}|{change.MeasureId}|{change.Sequence:D10}");

    public static string HistoryKey(MeasureChange change) =>
        string.Create(CultureInfo.InvariantCulture, $"h|{change.MeasureId}|{int.MaxValue - change.Sequence:D10}");

    private static TableEntity ToEntity(StoredMeasure m)
    {
        var entity = new TableEntity(m.RadarId, MeasureKey(m.Measure.Id))
        {
            ["MeasureId"] = m.Measure.Id,
            ["Title"] = m.Measure.Title,
            ["Area"] = m.Measure.Area,
            ["Status"] = m.Measure.Status,
            ["Removed"] = m.Removed,
            ["CreatedAt"] = m.CreatedAt,
            ["ChangedAt"] = m.ChangedAt,
            ["StatusChangedAt"] = m.StatusChangedAt,
            ["RemovedAt"] = m.RemovedAt,
            ["Version"] = m.Version,
            ["SourceId"] = m.SourceId,
        };
        WriteText(entity, "Data", MeasureJson.Canonical(m.Measure));
        return entity;
    }

    private static StoredMeasure ToMeasure(TableEntity e) => new()
    {
        RadarId = e.PartitionKey,
        Measure = MeasureJson.Deserialize<Measure>(ReadText(e, "Data")),
        Removed = e.GetBoolean("Removed") ?? false,
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        ChangedAt = e.GetDateTimeOffset("ChangedAt") ?? DateTimeOffset.MinValue,
        StatusChangedAt = e.GetDateTimeOffset("StatusChangedAt"),
        RemovedAt = e.GetDateTimeOffset("RemovedAt"),
        Version = e.GetInt32("Version") ?? 0,
        SourceId = e.GetString("SourceId"),
        ETag = e.ETag,
    };

    private static TableEntity ToEntity(MeasureChange c, string rowKey)
    {
        var entity = new TableEntity(c.RadarId, rowKey)
        {
            ["ChangeId"] = c.Id,
            ["MeasureId"] = c.MeasureId,
            ["Sequence"] = c.Sequence,
            ["Kind"] = c.Kind,
            ["At"] = c.At,
            ["Title"] = c.Title,
            ["Area"] = c.Area,
            ["Status"] = c.Status,
            ["From"] = c.From,
            ["To"] = c.To,
            ["SourceId"] = c.SourceId,
        };
        WriteText(entity, "Fields", JsonSerializer.Serialize(c.Fields, MeasureJson.Options));
        return entity;
    }

    private static MeasureChange ToChange(TableEntity e, string radarId) => new()
    {
        Id = e.GetString("ChangeId") ?? "",
        RadarId = radarId,
        MeasureId = e.GetString("MeasureId") ?? "",
        Sequence = e.GetInt32("Sequence") ?? 0,
        Kind = e.GetString("Kind") ?? "",
        At = e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        Title = e.GetString("Title") ?? "",
        Area = e.GetString("Area") ?? "",
        Status = e.GetString("Status") ?? "",
        From = e.GetString("From"),
        To = e.GetString("To"),
        SourceId = e.GetString("SourceId"),
        Fields = JsonSerializer.Deserialize<FieldChange[]>(ReadText(e, "Fields"), MeasureJson.Options) ?? [],
    };

    /// <summary>Long JSON split over <c>Name</c>, <c>Name1</c>, <c>Name2</c>, … (a string property holds 32K characters).</summary>
    private static void WriteText(TableEntity entity, string name, string text)
    {
        for (int i = 0, part = 0; i < text.Length || part == 0; i += MaxChunk, part++)
        {
            var key = part == 0 ? name : name + part.ToString(CultureInfo.InvariantCulture);
            entity[key] = text.Substring(i, Math.Min(MaxChunk, text.Length - i));
        }
    }

    private static string ReadText(TableEntity entity, string name)
    {
        var first = entity.GetString(name) ?? "";
        if (first.Length < MaxChunk)
        {
            return first;
        }

        var builder = new System.Text.StringBuilder(first);
        for (var part = 1; entity.GetString(name + part.ToString(CultureInfo.InvariantCulture)) is { } next; part++)
        {
            builder.Append(next);
        }

        return builder.ToString();
    }

    private static int Size(TableEntity entity) => ((IDictionary<string, object>)entity).Values.Sum(v => v is string s ? s.Length : 16) + 200;
}
