using System.Collections.Concurrent;

namespace Radar.Core.Measures.Timeline;

/// <summary>
/// Reads a radar's record (definition, editions, every timeline state) into a
/// <see cref="RadarTimeline"/>. Kept in memory per radar and used again while the radar's
/// version (bumped by every write) is the same, so asking about the past costs one point read
/// once loaded. A radar not migrated yet is read from its change history instead.
/// </summary>
public sealed class RadarTimelineLoader(IRadarReads store)
{
    private readonly ConcurrentDictionary<string, RadarTimeline> _cache = new(StringComparer.Ordinal);

    /// <summary>Null: no such radar.</summary>
    public async Task<RadarTimeline?> LoadAsync(string radarId, CancellationToken cancellationToken)
    {
        // The version is read before the states: a write in between leaves a newer version behind,
        // so what was read here is not used again.
        var record = await store.GetRadarRecordAsync(radarId, cancellationToken);
        if (record?.Definition is not { } definition)
        {
            return null;
        }

        if (record.Version is { } version && _cache.TryGetValue(radarId, out var cached) && cached.Version == version)
        {
            return cached;
        }

        var editionsTask = store.ListEditionsAsync(radarId, cancellationToken);
        IReadOnlyList<TimelineState> states = record.Schema >= MeasureStore.CurrentSchema
            ? await store.ListStatesAsync(radarId, null, cancellationToken)
            : LegacyHistory.ToStates(await store.ListHistoryAsync(radarId, cancellationToken));
        var timeline = RadarTimeline.Build(radarId, definition, await editionsTask, states,
            record.Schema >= MeasureStore.CurrentSchema ? record.Version : null);
        if (timeline.Version is not null)
        {
            _cache[radarId] = timeline;
        }

        return timeline;
    }
}
