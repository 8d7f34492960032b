namespace Radar.Core.Measures.Timeline;

/// <summary>What one measure's timeline derives to: its current state (null when it was never on
/// the radar) and its changes, oldest first.</summary>
public sealed record DerivedMeasure(string MeasureId, StoredMeasure? Current, IReadOnlyList<MeasureChange> Changes);

/// <summary>
/// One measure's states in timeline order, and what they derive to. Derivation is a pure
/// function of the set of states: the same editions and observations give the same changes,
/// with the same ids, whatever order they were imported in.
/// </summary>
public sealed class MeasureTimeline
{
    public MeasureTimeline(string radarId, string measureId, IReadOnlyList<TimelineState> states)
    {
        RadarId = radarId;
        Id = measureId;
        States = states;
        Derived = Derive(radarId, measureId, states);
    }

    public string RadarId { get; }

    public string Id { get; }

    /// <summary>Every state, in timeline order.</summary>
    public IReadOnlyList<TimelineState> States { get; }

    public DerivedMeasure Derived { get; }

    /// <summary>The last state at or before <paramref name="point"/>; null when there is none yet.</summary>
    public TimelineState? StateAt(TimePoint point)
    {
        int lo = 0, hi = States.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (point.Includes(States[mid]))
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? null : States[found];
    }

    /// <summary>Whether the measure was on the radar at any time at or before <paramref name="point"/>.</summary>
    public bool WasPresentBy(TimePoint point) => States.TakeWhile(point.Includes).Any(s => s.Present);

    /// <summary>
    /// Changes from consecutive states: the first presence is <c>created</c> (every field new), a
    /// presence after an absence <c>restored</c> (fields against the last presence), an absence
    /// after a presence <c>removed</c>, a different presence <c>status-changed</c> or
    /// <c>updated</c>; a state equal to the one before is no change. Ids say what the change is
    /// (see <see cref="MeasureChange"/>).
    /// </summary>
    public static DerivedMeasure Derive(string radarId, string measureId, IReadOnlyList<TimelineState> states)
    {
        var changes = new List<MeasureChange>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        Measure? last = null;
        var onRadar = false;
        TimelineState? lastPresent = null;
        DateTimeOffset? createdAt = null, statusChangedAt = null, removedAt = null;
        for (var i = 0; i < states.Count; i++)
        {
            var state = states[i];
            string? kind = null;
            FieldChange[] fields = [];
            string? from = null, to = null;
            if (state.Measure is { } measure)
            {
                if (last is null)
                {
                    kind = ChangeKinds.Created;
                    fields = MeasureDiff.Compare(null, measure);
                }
                else
                {
                    fields = MeasureDiff.Compare(last, measure);
                    var newStatus = last.Status != measure.Status;
                    if (newStatus)
                    {
                        (from, to) = (last.Status, measure.Status);
                    }

                    kind = !onRadar ? ChangeKinds.Restored
                        : fields.Length == 0 ? null
                        : newStatus ? ChangeKinds.StatusChanged
                        : ChangeKinds.Updated;
                }
            }
            else if (onRadar)
            {
                kind = ChangeKinds.Removed;
            }

            if (kind is not null)
            {
                var shown = state.Measure ?? last!;
                var at = kind == ChangeKinds.Created && i == 0 && state.CreatedHint is { } hint && hint < state.At ? hint : state.At;
                var id = UniqueId(ids, ChangeId(radarId, measureId, state));
                changes.Add(new MeasureChange
                {
                    Id = id,
                    RadarId = radarId,
                    MeasureId = measureId,
                    Sequence = changes.Count + 1,
                    Kind = kind,
                    At = at,
                    Title = shown.Title,
                    Area = shown.Area,
                    Status = shown.Status,
                    From = from,
                    To = to,
                    Fields = fields,
                    SourceId = state.SourceId,
                    EditionId = state.EditionId,
                    FirstImport = state.FirstImport,
                });
                createdAt ??= at;
                if (from is not null)
                {
                    statusChangedAt = at;
                }

                removedAt = kind == ChangeKinds.Removed ? at : null;
            }

            if (state.Measure is not null)
            {
                last = state.Measure;
                lastPresent = state;
                onRadar = true;
            }
            else
            {
                onRadar = false;
            }
        }

        if (last is null)
        {
            return new DerivedMeasure(measureId, null, []);
        }

        var current = new StoredMeasure
        {
            RadarId = radarId,
            Measure = last,
            Removed = !onRadar,
            CreatedAt = createdAt!.Value,
            ChangedAt = changes[^1].At,
            StatusChangedAt = statusChangedAt,
            RemovedAt = onRadar ? null : removedAt,
            Version = changes.Count,
            SourceId = lastPresent!.SourceId,
            LastStateAt = states[^1].At,
        };
        return new DerivedMeasure(measureId, current, changes);
    }

    /// <summary>What the change is: the edition, the moment an ingest saw it, or for migrated
    /// history the id it was published with. The id stays with its state whatever comes before
    /// it; a backfilled edition can change what the change says, not what it is called.</summary>
    private static string ChangeId(string radarId, string measureId, TimelineState state) =>
        state.LegacyChangeId ?? (state.EditionId is { } edition
            ? $"{radarId}:{measureId}:{edition}"
            : $"{radarId}:{measureId}:{TimelineState.Stamp(state.At)}");

    /// <summary>Two states within one second (or an edition id equal to a legacy number) would
    /// share an id: the later one gets a suffix, the same one every time.</summary>
    private static string UniqueId(HashSet<string> used, string id)
    {
        var candidate = id;
        for (var n = 2; !used.Add(candidate); n++)
        {
            candidate = $"{id}~{n}";
        }

        return candidate;
    }
}
