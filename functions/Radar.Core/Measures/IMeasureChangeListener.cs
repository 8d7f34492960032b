namespace Radar.Core.Measures;

/// <summary>What one radar's ingest wrote: the radar as defined now and every measure state
/// written with the change that led to it (<see cref="MeasureWrite.Change"/> may be null when only
/// the source of an unchanged measure moved).</summary>
public sealed record RadarMeasureWrites(RadarDefinition Radar, IReadOnlyList<MeasureWrite> Writes)
{
    /// <summary>Ids of changes that no longer exist: a backfilled or deleted edition made the
    /// states they were derived from equal (or took one away). A search index should drop them.</summary>
    public IReadOnlyList<string> RemovedChangeIds { get; init; } = [];
}

/// <summary>Everything a measures ingest run wrote. <see cref="Incomplete"/>: a source failed
/// after some of its writes may already have been committed (two writers raced), so the list
/// may miss states that are in the tables.</summary>
public sealed record MeasureWriteSet(IReadOnlyList<RadarMeasureWrites> Radars, bool Incomplete)
{
    public bool IsEmpty => !Incomplete && Radars.All(r => r.Writes.Count == 0 && r.RemovedChangeIds.Count == 0);
}

/// <summary>
/// Told after a measures ingest run what it wrote, so that what is derived from measures — the
/// search index — can follow. Every registered listener is called once per run that wrote
/// something; none registered is fine. A listener that fails does not fail the ingest: the index
/// can always be rebuilt from the tables.
/// </summary>
public interface IMeasureChangeListener
{
    Task MeasuresChangedAsync(MeasureWriteSet written, CancellationToken cancellationToken);
}
