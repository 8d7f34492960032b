namespace Radar.Core.Search.Replication;

/// <summary>What changes in the index: documents to add or replace, keys to remove, or — when
/// <see cref="RebuildBecause"/> is set — "rebuild it all from the tables, because …".</summary>
public sealed record IndexChanges(IReadOnlyList<SearchDocument> Upserts, IReadOnlyList<IndexKey> Deletes, string? RebuildBecause = null)
{
    public bool IsEmpty => Upserts.Count == 0 && Deletes.Count == 0 && RebuildBecause is null;
}

/// <summary>A document's key: type, id and (for measures and changes) radar.</summary>
public sealed record IndexKey(string Type, string Id, string? RadarId);
