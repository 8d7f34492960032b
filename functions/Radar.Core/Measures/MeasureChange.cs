using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Radar.Core.Measures;

public static class ChangeKinds
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string StatusChanged = "status-changed";
    public const string Removed = "removed";
    public const string Restored = "restored";
}

/// <summary>
/// One change of one measure, self-describing so that feeds and the search index can use it on
/// its own: which radar and measure, the title at the time, what kind of change, every changed
/// field with its old and new value, when. Changes are derived from the measure's timeline of
/// states (<see cref="Timeline.MeasureTimeline"/>): one change per state that differs from the one
/// before. <see cref="Id"/> says what the change is: <c>radar:measure:edition</c> for an edition,
/// <c>radar:measure:yyyyMMddTHHmmssZ</c> for what an ingest observed, and for history recorded
/// before editions existed the <c>radar:measure:sequence</c> it was published with. A new status
/// together with other edits is one <c>status-changed</c> whose <see cref="Fields"/> list them all.
/// </summary>
public sealed record MeasureChange
{
    public required string Id { get; init; }

    public required string RadarId { get; init; }

    public required string MeasureId { get; init; }

    /// <summary>Position in the measure's history: 1 for <c>created</c>, then one more per change.
    /// Derived, so a backfilled edition before a change moves it up.</summary>
    public required int Sequence { get; init; }

    public required string Kind { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>The measure's title after the change.</summary>
    public required string Title { get; init; }

    /// <summary>The measure's area after the change.</summary>
    public required string Area { get; init; }

    /// <summary>The measure's status after the change.</summary>
    public required string Status { get; init; }

    /// <summary>Status before (<c>status-changed</c>).</summary>
    public string? From { get; init; }

    /// <summary>Status after (<c>status-changed</c>).</summary>
    public string? To { get; init; }

    /// <summary>Changed fields with old and new value; for <c>created</c> every field (old absent).</summary>
    public FieldChange[] Fields { get; init; } = [];

    public string? SourceId { get; init; }

    /// <summary>The edition whose state this change leads to; null for what an ingest observed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EditionId { get; init; }

    /// <summary>Part of a radar's first import (no edition): one bulk event in feeds, not news per measure.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool FirstImport { get; init; }

    /// <summary>True when the change came with a bulk import (an edition or the first import),
    /// which feeds show as one <c>edition</c> entry rather than one entry per measure.</summary>
    [JsonIgnore]
    public bool Bulk => EditionId is not null || FirstImport;

    /// <summary>The id of a change recorded before editions existed (a running number).</summary>
    public static string MakeId(string radarId, string measureId, int sequence) =>
        $"{radarId}:{measureId}:{sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>A field's value before and after, as JSON (a missing value is absent).</summary>
public sealed record FieldChange(string Field, JsonNode? Old, JsonNode? New);

/// <summary>Compares two states of a measure field by field.</summary>
public static class MeasureDiff
{
    public static FieldChange[] Compare(Measure? before, Measure after)
    {
        var old = before is null ? new JsonObject() : MeasureJson.ToObject(before);
        var @new = MeasureJson.ToObject(after);
        var changes = new List<FieldChange>();
        foreach (var name in @new.Select(p => p.Key).Concat(old.Select(p => p.Key)).Distinct(StringComparer.Ordinal))
        {
            var a = old[name];
            var b = @new[name];
            if (!JsonNode.DeepEquals(a, b))
            {
                changes.Add(new FieldChange(name, a?.DeepClone(), b?.DeepClone()));
            }
        }

        return [.. changes];
    }
}

/// <summary>
/// Rebuilds a measure from its changes alone: what it looked like at any moment, and whether it
/// was on the radar then. The later "radar as of a date" and "difference between two dates" need
/// nothing more than this and the stored changes.
/// </summary>
public static class MeasureHistory
{
    /// <summary>The measure as it stood at <paramref name="asOf"/>, or null when it did not exist
    /// yet or was removed then.</summary>
    public static Measure? AsOf(IEnumerable<MeasureChange> changes, DateTimeOffset asOf)
    {
        JsonObject? state = null;
        var removed = false;
        foreach (var change in changes.Where(c => c.At <= asOf).OrderBy(c => c.Sequence))
        {
            if (change.Kind == ChangeKinds.Created)
            {
                state = [];
            }

            if (state is null)
            {
                continue;
            }

            removed = change.Kind == ChangeKinds.Removed || (removed && change.Kind != ChangeKinds.Restored);
            foreach (var field in change.Fields)
            {
                if (field.New is null)
                {
                    state.Remove(field.Field);
                }
                else
                {
                    state[field.Field] = field.New.DeepClone();
                }
            }
        }

        return state is null || removed ? null : MeasureJson.FromObject(state);
    }
}
