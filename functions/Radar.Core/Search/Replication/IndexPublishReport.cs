using Radar.Core.Ingest;

namespace Radar.Core.Search.Replication;

public static class IndexOutcomes
{
    /// <summary>Written, committed and published.</summary>
    public const string Published = "published";

    /// <summary>Rebuilt from the tables and published.</summary>
    public const string Rebuilt = "rebuilt";

    /// <summary>Nothing to write (or nothing changed the commit).</summary>
    public const string Unchanged = "unchanged";

    /// <summary>Another writer held the index lease for longer than the wait: not written; the
    /// snapshot is marked stale, so the next writer rebuilds it.</summary>
    public const string LeaseTimeout = "lease-timeout";

    /// <summary>The snapshot was repaired (or found good) by another instance meanwhile.</summary>
    public const string NotNeeded = "not-needed";
}

/// <summary>What one write session did.</summary>
public sealed record IndexPublishReport
{
    public required string Outcome { get; init; }

    public string? Reason { get; init; }

    public string? Lineage { get; init; }

    public long Generation { get; init; }

    public int Upserted { get; init; }

    public int Deleted { get; init; }

    /// <summary>Documents per type in the published commit.</summary>
    public IReadOnlyDictionary<string, int> Documents { get; init; } = new Dictionary<string, int>();

    public int Files { get; init; }

    public int FilesUploaded { get; init; }

    public long Bytes { get; init; }

    public long BytesUploaded { get; init; }

    public int GarbageCollected { get; init; }

    public required DateTimeOffset At { get; init; }

    public double Seconds { get; init; }

    /// <summary>Who held the index lease when it was not acquired in time.</summary>
    public IngestLeaseHolder? Holder { get; init; }
}
