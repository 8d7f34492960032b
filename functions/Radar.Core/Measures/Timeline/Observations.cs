namespace Radar.Core.Measures.Timeline;

/// <summary>What an ingest saw that differs from the current state: the states to record, and
/// counts by what each will be (created, updated, …) for the ingest report.</summary>
internal sealed record ObservationPlan(
    IReadOnlyList<TimelineState> States, int Created, int Updated, int StatusChanged, int Removed, int Restored, int Unchanged)
{
    /// <summary>What each recorded state is (a <see cref="ChangeKinds"/> value), by measure.</summary>
    public IReadOnlyDictionary<string, string> Kinds { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The counts of this plan with what earlier attempts of the same run already wrote credited
    /// to them: a measure whose state an attempt committed before a conflict is stored now, so this
    /// plan sees it as unchanged (or, once removed, not at all) — but this run did change it.
    /// </summary>
    public ObservationPlan Credit(IReadOnlyDictionary<string, string> committedEarlier)
    {
        var plan = this;
        foreach (var (measureId, kind) in committedEarlier)
        {
            if (Kinds.ContainsKey(measureId))
            {
                continue; // changed again since: this plan counts it itself
            }

            // Stored now, so this plan saw it as unchanged — except a removal, which it no longer sees at all.
            var seen = kind == ChangeKinds.Removed ? plan : plan with { Unchanged = Math.Max(0, plan.Unchanged - 1) };
            plan = kind switch
            {
                ChangeKinds.Created => seen with { Created = seen.Created + 1 },
                ChangeKinds.Restored => seen with { Restored = seen.Restored + 1 },
                ChangeKinds.StatusChanged => seen with { StatusChanged = seen.StatusChanged + 1 },
                ChangeKinds.Removed => seen with { Removed = seen.Removed + 1 },
                _ => seen with { Updated = seen.Updated + 1 },
            };
        }

        return plan;
    }
}

/// <summary>
/// Compares what a source says now with the current state of every measure and records a state
/// for each that differs: the measure as the source has it, or "not on the radar" for one it no
/// longer names. Dated by the ingest time, or just after the measure's last state if that is
/// later (an edition published today is dated the end of today: what an ingest sees after it is
/// newer). A radar's first import dates each measure's creation by its start (see
/// <see cref="TimelineState.CreatedHint"/>), so that a first import is never "everything is new".
/// </summary>
internal static class Observations
{
    /// <param name="wholeRadar">The source owns the radar alone: every measure it no longer names
    /// is removed. Otherwise (a shared radar) only the measures it brought.</param>
    public static ObservationPlan Plan(
        string sourceId, MeasureSourceContent content, IReadOnlyList<StoredMeasure> stored, DateTimeOffset now, bool firstImport, bool wholeRadar)
    {
        var byId = stored.ToDictionary(s => s.Measure.Id, StringComparer.Ordinal);
        var states = new List<TimelineState>();
        int created = 0, updated = 0, statusChanged = 0, removed = 0, restored = 0, unchanged = 0;
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);

        TimelineState State(string measureId, Measure? measure, StoredMeasure? existing)
        {
            var last = existing?.LastStateAt ?? existing?.ChangedAt;
            var at = last is { } l && l >= now ? l.AddTicks(1) : now;
            DateTimeOffset? hint = firstImport && measure?.Start is { } start && BerlinTime.EndOfDay(start) < at
                ? BerlinTime.EndOfDay(start)
                : null;
            return new TimelineState
            {
                MeasureId = measureId,
                At = at,
                Origin = TimelineState.ObservationOrigin(at),
                Measure = measure,
                SourceId = sourceId,
                FirstImport = firstImport,
                CreatedHint = hint,
            };
        }

        foreach (var measure in content.Measures)
        {
            if (!byId.TryGetValue(measure.Id, out var existing))
            {
                states.Add(State(measure.Id, measure, null));
                kinds[measure.Id] = ChangeKinds.Created;
                created++;
            }
            else if (existing.Removed)
            {
                states.Add(State(measure.Id, measure, existing));
                kinds[measure.Id] = ChangeKinds.Restored;
                restored++;
            }
            else if (MeasureJson.Canonical(existing.Measure) == MeasureJson.Canonical(measure))
            {
                unchanged++;
            }
            else
            {
                states.Add(State(measure.Id, measure, existing));
                var kind = existing.Measure.Status != measure.Status ? ChangeKinds.StatusChanged : ChangeKinds.Updated;
                kinds[measure.Id] = kind;
                if (kind == ChangeKinds.StatusChanged)
                {
                    statusChanged++;
                }
                else
                {
                    updated++;
                }
            }
        }

        var present = content.Measures.Select(m => m.Id).Concat(content.KeptIds).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in stored.Where(s => !s.Removed && !present.Contains(s.Measure.Id) && (wholeRadar || s.SourceId == sourceId)))
        {
            states.Add(State(gone.Measure.Id, null, gone));
            kinds[gone.Measure.Id] = ChangeKinds.Removed;
            removed++;
        }

        return new ObservationPlan(states, created, updated, statusChanged, removed, restored, unchanged) { Kinds = kinds };
    }
}
