namespace Radar.Core.Search.Replication;

/// <summary>What the replica of this instance is doing, for health.</summary>
public sealed record ReplicaStatus
{
    /// <summary><c>loading</c> (nothing loaded yet), <c>ready</c>, <c>failing</c> (serving an
    /// older commit or nothing, with <see cref="LastError"/>).</summary>
    public required string State { get; init; }

    public string? Lineage { get; init; }

    public long? Generation { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    public string? PublishedBy { get; init; }

    public IReadOnlyDictionary<string, int>? Documents { get; init; }

    public long? Bytes { get; init; }

    public int? Files { get; init; }

    public DateTimeOffset? LoadedAt { get; init; }

    /// <summary>When the manifest was last checked successfully.</summary>
    public DateTimeOffset? LastCheck { get; init; }

    /// <summary>The newest commit seen published, when it is not the one loaded.</summary>
    public long? NewestGeneration { get; init; }

    /// <summary>How long ago the newest published commit came out while an older one is still
    /// served (0 when the newest is loaded).</summary>
    public double? LagSeconds { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>Set when a writer left the stale marker: the published index misses something.</summary>
    public string? Stale { get; init; }

    public string? Folder { get; init; }
}
