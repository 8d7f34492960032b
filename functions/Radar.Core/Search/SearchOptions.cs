namespace Radar.Core.Search;

/// <summary>Settings under <c>Radar:Search</c> (app settings <c>Radar__Search__…</c>).</summary>
public sealed class SearchOptions
{
    public const string Section = "Radar:Search";

    /// <summary>Folder under which this instance keeps its local index copies, in a subfolder of
    /// its own (so two instances on one machine never share one). Empty: <c>radar-index</c> in the
    /// temp folder.</summary>
    public string IndexPath { get; set; } = "";

    /// <summary>How often a serving instance looks for a newer published snapshot (a conditional
    /// read of the manifest's properties).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an index writer (an ingest's update, a reindex, a cold-start rebuild)
    /// waits for the index lease while another writer holds it, before it gives up (an ingest's
    /// update then marks the snapshot stale, so the next writer rebuilds it from the tables).</summary>
    public TimeSpan LeaseWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Snapshot files no longer named by the manifest are deleted after this long, so an
    /// instance still downloading an older snapshot can finish.</summary>
    public TimeSpan SnapshotGracePeriod { get; set; } = TimeSpan.FromMinutes(15);
}
