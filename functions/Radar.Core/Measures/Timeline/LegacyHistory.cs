using System.Text.Json.Nodes;

namespace Radar.Core.Measures.Timeline;

/// <summary>
/// History as versions before editions wrote it — a chain of changes per measure, numbered by
/// sequence — replayed into observation states: each change becomes the state it led to (the
/// whole measure, or "not on the radar" for <c>removed</c>), at the time it was recorded,
/// remembering the id it was published with, so that deriving changes from these states gives
/// back the same changes with the same ids.
/// </summary>
public static class LegacyHistory
{
    public static IReadOnlyList<TimelineState> ToStates(IEnumerable<MeasureChange> changes)
    {
        var states = new List<TimelineState>();
        foreach (var measure in changes.GroupBy(c => c.MeasureId, StringComparer.Ordinal))
        {
            JsonObject? content = null;
            TimelineState? previous = null;
            foreach (var change in measure.OrderBy(c => c.Sequence))
            {
                if (change.Kind == ChangeKinds.Created)
                {
                    content = [];
                }

                if (content is null)
                {
                    continue;
                }

                foreach (var field in change.Fields)
                {
                    if (field.New is null)
                    {
                        content.Remove(field.Field);
                    }
                    else
                    {
                        content[field.Field] = field.New.DeepClone();
                    }
                }

                // Two changes recorded at the same instant (a stopped clock) still need an order.
                var at = previous is not null && change.At <= previous.At ? previous.At.AddTicks(1) : change.At;
                var state = new TimelineState
                {
                    MeasureId = change.MeasureId,
                    At = at,
                    Origin = TimelineState.ObservationOrigin(at),
                    Measure = change.Kind == ChangeKinds.Removed ? null : MeasureJson.FromObject((JsonObject)content.DeepClone()),
                    SourceId = change.SourceId,
                    LegacyChangeId = change.Id,
                };
                states.Add(state);
                previous = state;
            }
        }

        return states;
    }
}
