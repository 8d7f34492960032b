using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;

namespace Radar.Core.Measures;

/// <summary>
/// How the measure tables' rows look: entities to records and back. Long JSON is split over
/// several string properties (<see cref="WriteText"/>), since one holds at most 64 KiB.
/// </summary>
internal static class MeasureRows
{
    private const int MaxChunk = 30_000;          // characters per string property (the limit is 64 KiB of UTF-16)

    internal static TableEntity ToEntity(StoredMeasure m)
    {
        var entity = new TableEntity(m.RadarId, MeasureStore.MeasureKey(m.Measure.Id))
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
            ["LastStateAt"] = m.LastStateAt,
        };
        WriteText(entity, "Data", MeasureJson.Canonical(m.Measure));
        return entity;
    }

    internal static StoredMeasure ToMeasure(TableEntity e) => new()
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
        LastStateAt = e.GetDateTimeOffset("LastStateAt"),
        ETag = e.ETag,
    };

    internal static TableEntity ToEntity(MeasureChange c, string rowKey)
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
            ["EditionId"] = c.EditionId,
            ["FirstImport"] = c.FirstImport ? true : null,
        };
        WriteText(entity, "Fields", JsonSerializer.Serialize(c.Fields, MeasureJson.Options));
        return entity;
    }

    internal static MeasureChange ToChange(TableEntity e, string radarId) => new()
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
        EditionId = e.GetString("EditionId"),
        FirstImport = e.GetBoolean("FirstImport") ?? false,
        Fields = JsonSerializer.Deserialize<FieldChange[]>(ReadText(e, "Fields"), MeasureJson.Options) ?? [],
    };

    internal static TableEntity ToEntity(string radarId, TimelineState s)
    {
        var entity = new TableEntity(radarId, MeasureStore.StateKey(s))
        {
            ["MeasureId"] = s.MeasureId,
            ["At"] = s.At,
            ["Origin"] = s.Origin,
            ["Present"] = s.Present,
            ["SourceId"] = s.SourceId,
            ["FirstImport"] = s.FirstImport ? true : null,
            ["CreatedHint"] = s.CreatedHint,
            ["LegacyChangeId"] = s.LegacyChangeId,
        };
        if (s.Measure is { } measure)
        {
            WriteText(entity, "Data", MeasureJson.Canonical(measure));
        }

        return entity;
    }

    internal static TimelineState ToState(TableEntity e) => new()
    {
        MeasureId = e.GetString("MeasureId") ?? "",
        At = e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        Origin = e.GetString("Origin") ?? "",
        Measure = e.GetBoolean("Present") == true ? MeasureJson.Deserialize<Measure>(ReadText(e, "Data")) : null,
        SourceId = e.GetString("SourceId"),
        FirstImport = e.GetBoolean("FirstImport") ?? false,
        CreatedHint = e.GetDateTimeOffset("CreatedHint"),
        LegacyChangeId = e.GetString("LegacyChangeId"),
    };

    internal static RadarRecord ToRecord(TableEntity e)
    {
        var definition = ReadText(e, "Definition");
        var firstImport = e.GetString("FirstImport");
        return new RadarRecord
        {
            Id = e.RowKey,
            Definition = definition.Length == 0 ? null : MeasureJson.Deserialize<RadarDefinition>(definition),
            SourceId = e.GetString("SourceId"),
            Owner = e.GetString("Owner"),
            Version = e.GetString("Version"),
            Schema = e.GetInt32("Schema") ?? 0,
            FirstImport = string.IsNullOrEmpty(firstImport) ? null : JsonSerializer.Deserialize<FirstImportRecord>(firstImport, MeasureJson.Options),
            UpdatedAt = e.GetDateTimeOffset("UpdatedAt"),
        };
    }

    /// <summary>Long JSON split over <c>Name</c>, <c>Name1</c>, <c>Name2</c>, … (a string property holds 32K characters).</summary>
    internal static void WriteText(TableEntity entity, string name, string text)
    {
        for (int i = 0, part = 0; i < text.Length || part == 0; i += MaxChunk, part++)
        {
            var key = part == 0 ? name : name + part.ToString(CultureInfo.InvariantCulture);
            entity[key] = text.Substring(i, Math.Min(MaxChunk, text.Length - i));
        }
    }

    /// <summary>Reads what <see cref="WriteText"/> wrote. A part shorter than a full chunk is the
    /// last, so parts left over from a longer text written before (a merge) are not read.</summary>
    internal static string ReadText(TableEntity entity, string name)
    {
        var first = entity.GetString(name) ?? "";
        if (first.Length < MaxChunk)
        {
            return first;
        }

        var builder = new System.Text.StringBuilder(first);
        var previous = first;
        for (var part = 1; previous.Length >= MaxChunk && entity.GetString(name + part.ToString(CultureInfo.InvariantCulture)) is { } next; part++)
        {
            builder.Append(next);
            previous = next;
        }

        return builder.ToString();
    }
}
