namespace Radar.Core.Measures;

/// <summary>
/// What the public routes read about radars, measures and editions. Two implementations: the
/// tables (<see cref="TableRadarReads"/>: what writers, admin and the ingest read) and the
/// published snapshot (<c>Search.Serving.SnapshotReads</c>: what every public GET reads, so that
/// no request waits on Table storage and one generation answers it). Orders are the tables' own:
/// measures by id, a measure's history newest first, the radar's changes newest first, states
/// in timeline order per measure, editions oldest first.
/// </summary>
public interface IRadarReads
{
    /// <summary>The radar served when a request names none (see <see cref="DefaultRadar"/>).</summary>
    Task<string?> DefaultRadarIdAsync(CancellationToken cancellationToken);

    Task<RadarRecord?> GetRadarRecordAsync(string radarId, CancellationToken cancellationToken);

    /// <summary>Every radar that has a definition.</summary>
    Task<IReadOnlyList<RadarRecord>> ListRadarRecordsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredMeasure>> ListMeasuresAsync(string radarId, CancellationToken cancellationToken);

    Task<StoredMeasure?> GetMeasureAsync(string radarId, string measureId, CancellationToken cancellationToken);

    /// <summary>A measure's changes, newest first.</summary>
    Task<IReadOnlyList<MeasureChange>> GetHistoryAsync(string radarId, string measureId, CancellationToken cancellationToken);

    /// <summary>Every measure's changes (newest first per measure).</summary>
    Task<IReadOnlyList<MeasureChange>> ListHistoryAsync(string radarId, CancellationToken cancellationToken);

    /// <summary>The radar's latest changes, newest first.</summary>
    Task<IReadOnlyList<MeasureChange>> GetLatestChangesAsync(string radarId, int take, CancellationToken cancellationToken);

    /// <summary>Timeline states: the radar's, or one measure's (timeline order).</summary>
    Task<IReadOnlyList<TimelineState>> ListStatesAsync(string radarId, string? measureId, CancellationToken cancellationToken);

    /// <summary>A radar's editions, oldest first.</summary>
    Task<IReadOnlyList<Edition>> ListEditionsAsync(string radarId, CancellationToken cancellationToken);

    Task<Edition?> GetEditionAsync(string radarId, string editionId, CancellationToken cancellationToken);

    /// <summary>What the reads answer from: the same object for as long as they answer the same
    /// (one loaded snapshot), so views derived from them may be kept while it stays; null when
    /// every read may differ (the tables).</summary>
    object? Version => null;
}

public static class RadarReads
{
    public static async Task<RadarDefinition?> GetRadarAsync(this IRadarReads reads, string radarId, CancellationToken cancellationToken) =>
        (await reads.GetRadarRecordAsync(radarId, cancellationToken))?.Definition;

    public static async Task<IReadOnlyList<RadarDefinition>> ListRadarsAsync(this IRadarReads reads, CancellationToken cancellationToken) =>
        [.. (await reads.ListRadarRecordsAsync(cancellationToken)).Select(r => r.Definition!)];
}

/// <summary>The reads from the tables (the system of record).</summary>
public sealed class TableRadarReads(MeasureStore store, EditionStore editions, DefaultRadar defaultRadar) : IRadarReads
{
    public Task<string?> DefaultRadarIdAsync(CancellationToken cancellationToken) => defaultRadar.IdAsync(cancellationToken);

    public Task<RadarRecord?> GetRadarRecordAsync(string radarId, CancellationToken cancellationToken) => store.GetRadarRecordAsync(radarId, cancellationToken);

    public Task<IReadOnlyList<RadarRecord>> ListRadarRecordsAsync(CancellationToken cancellationToken) => store.ListRadarRecordsAsync(cancellationToken);

    public Task<IReadOnlyList<StoredMeasure>> ListMeasuresAsync(string radarId, CancellationToken cancellationToken) => store.ListMeasuresAsync(radarId, cancellationToken);

    public Task<StoredMeasure?> GetMeasureAsync(string radarId, string measureId, CancellationToken cancellationToken) =>
        store.GetMeasureAsync(radarId, measureId, cancellationToken);

    public Task<IReadOnlyList<MeasureChange>> GetHistoryAsync(string radarId, string measureId, CancellationToken cancellationToken) =>
        store.GetHistoryAsync(radarId, measureId, cancellationToken);

    public Task<IReadOnlyList<MeasureChange>> ListHistoryAsync(string radarId, CancellationToken cancellationToken) => store.ListHistoryAsync(radarId, cancellationToken);

    public Task<IReadOnlyList<MeasureChange>> GetLatestChangesAsync(string radarId, int take, CancellationToken cancellationToken) =>
        store.GetLatestChangesAsync(radarId, take, cancellationToken);

    public Task<IReadOnlyList<TimelineState>> ListStatesAsync(string radarId, string? measureId, CancellationToken cancellationToken) =>
        store.ListStatesAsync(radarId, measureId, cancellationToken);

    public Task<IReadOnlyList<Edition>> ListEditionsAsync(string radarId, CancellationToken cancellationToken) => editions.ListAsync(radarId, cancellationToken);

    public Task<Edition?> GetEditionAsync(string radarId, string editionId, CancellationToken cancellationToken) => editions.GetAsync(radarId, editionId, cancellationToken);
}
