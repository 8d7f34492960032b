using Azure;

namespace Radar.Core.Search.Replication;

/// <summary>The open local writer: its folder, the lineage and session its new files are
/// published under, and what is published of it.</summary>
internal sealed class LocalWriter(RadarIndex index, string folder, string lineage, string session, Dictionary<string, SnapshotFile> files)
{
    public RadarIndex Index { get; } = index;

    public string Folder { get; } = folder;

    public string Lineage { get; } = lineage;

    public string Session { get; } = session;

    /// <summary>Published files by Lucene name.</summary>
    public Dictionary<string, SnapshotFile> Files { get; } = files;

    public long Generation { get; set; }

    /// <summary>The manifest's ETag once this writer's commit is published.</summary>
    public ETag? ETag { get; set; }
}
