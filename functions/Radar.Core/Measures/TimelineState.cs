using System.Globalization;

namespace Radar.Core.Measures;

/// <summary>
/// One state of one measure: what an edition said about it, or what an ingest saw. This is what
/// is recorded; changes, the current state and every view of the past are derived from the
/// states. <see cref="Measure"/> null means "not on the radar" (an edition without the measure,
/// or an ingest that found it gone). States are ordered by <see cref="At"/>, then by
/// <see cref="Origin"/> (editions, <c>e:…</c>, before observations, <c>o:…</c>, at the same instant).
/// </summary>
public sealed record TimelineState
{
    public required string MeasureId { get; init; }

    /// <summary>End of the publication day in Berlin for an edition; the ingest time for an observation.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary><c>e:{editionId}</c> or <c>o:{yyyyMMddTHHmmssfffffffZ}</c>.</summary>
    public required string Origin { get; init; }

    /// <summary>The measure as it stood; null: not on the radar.</summary>
    public Measure? Measure { get; init; }

    public string? SourceId { get; init; }

    /// <summary>Seen by the radar's first import (no edition, nothing stored before).</summary>
    public bool FirstImport { get; init; }

    /// <summary>For a first import: when the measure started (end of its <c>start</c> day, not in
    /// the future). Dates the <c>created</c> change when this is the measure's first state.</summary>
    public DateTimeOffset? CreatedHint { get; init; }

    /// <summary>Migrated history: the id the change to this state was published with
    /// (<c>radar:measure:seq</c>); the change derived for this state keeps it.</summary>
    public string? LegacyChangeId { get; init; }

    public bool Present => Measure is not null;

    public string? EditionId => Origin.StartsWith(EditionPrefix, StringComparison.Ordinal) ? Origin[EditionPrefix.Length..] : null;

    public bool IsObservation => Origin.StartsWith(ObservationPrefix, StringComparison.Ordinal);

    public const string EditionPrefix = "e:";
    public const string ObservationPrefix = "o:";

    public static string EditionOrigin(string editionId) => EditionPrefix + editionId;

    /// <summary>An observation's origin: its time to the tick, so two never share one.</summary>
    public static string ObservationOrigin(DateTimeOffset at) =>
        ObservationPrefix + at.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>What an observation's change id ends with: its time to the second.</summary>
    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Timeline order: time, then origin (ordinal).</summary>
    public static int Compare(TimelineState a, TimelineState b)
    {
        var byTime = a.At.UtcTicks.CompareTo(b.At.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.Origin, b.Origin);
    }
}
