
namespace Radar.Core.Measures.Timeline;

/// <summary>
/// A radar's whole record in memory: its editions (oldest first) and every measure's timeline.
/// Built from what is stored (<see cref="Build"/>) or from anything else that holds the same
/// states (a published snapshot), so the views of the past (<see cref="RadarTime"/>) need no storage.
/// </summary>
public sealed class RadarTimeline
{
    private RadarTimeline(
        string radarId, RadarDefinition radar, IReadOnlyList<Edition> editions, IReadOnlyDictionary<string, MeasureTimeline> measures, string? version)
    {
        RadarId = radarId;
        Radar = radar;
        Editions = editions;
        Measures = measures;
        Version = version;
        var firsts = measures.Values.Where(m => m.States.Count > 0).Select(m => m.States[0].At).Concat(editions.Select(e => e.At)).ToList();
        FirstAt = firsts.Count == 0 ? null : firsts.Min();
    }

    public string RadarId { get; }

    /// <summary>The radar's current definition.</summary>
    public RadarDefinition Radar { get; }

    /// <summary>Oldest first (publication date, then id).</summary>
    public IReadOnlyList<Edition> Editions { get; }

    public IReadOnlyDictionary<string, MeasureTimeline> Measures { get; }

    /// <summary>The stored version this was built from (null: not cacheable).</summary>
    public string? Version { get; }

    /// <summary>The earliest recorded moment: the first edition or the first state, whichever is earlier.</summary>
    public DateTimeOffset? FirstAt { get; }

    public DateOnly? FirstDate => FirstAt is { } at ? BerlinTime.DateOf(at) : null;

    public Edition? FindEdition(string id) => Editions.FirstOrDefault(e => e.Id == id);

    /// <summary>The newest edition at or before <paramref name="point"/>.</summary>
    public Edition? EditionAt(TimePoint point) => Editions.LastOrDefault(point.Includes);

    /// <summary>The edition before <paramref name="edition"/>.</summary>
    public Edition? EditionBefore(Edition edition)
    {
        var index = Editions.ToList().FindIndex(e => e.Id == edition.Id);
        return index > 0 ? Editions[index - 1] : null;
    }

    public static RadarTimeline Build(
        string radarId, RadarDefinition radar, IEnumerable<Edition> editions, IEnumerable<TimelineState> stored, string? version = null)
    {
        var ordered = editions.OrderBy(e => e, Comparer<Edition>.Create(Edition.Compare)).ToList();
        var measures = stored
            .GroupBy(s => s.MeasureId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new MeasureTimeline(radarId, g.Key, StatesOf(g.Key, g, ordered)), StringComparer.Ordinal);
        return new RadarTimeline(radarId, radar, ordered, measures, version);
    }

    /// <summary>
    /// One measure's states in timeline order: its stored states, plus an absent state for every
    /// edition that does not name it. Stored states of editions that are not (or no longer)
    /// stored, or that no longer hold the measure, are left out: an edition row is written after
    /// its states and deleted before them, so an interrupted write leaves nothing half-visible.
    /// </summary>
    public static IReadOnlyList<TimelineState> StatesOf(string measureId, IEnumerable<TimelineState> stored, IReadOnlyList<Edition> editions)
    {
        var byId = editions.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var states = new List<TimelineState>();
        foreach (var state in stored)
        {
            if (state.EditionId is not { } editionId)
            {
                states.Add(state);
            }
            else if (byId.TryGetValue(editionId, out var edition) && edition.Members.ContainsKey(measureId) && state.At == edition.At)
            {
                states.Add(state);
            }
        }

        foreach (var edition in editions.Where(e => !e.Says(measureId)))
        {
            states.Add(new TimelineState { MeasureId = measureId, At = edition.At, Origin = TimelineState.EditionOrigin(edition.Id), SourceId = edition.SourceId });
        }

        states.Sort(TimelineState.Compare);
        return states;
    }
}
