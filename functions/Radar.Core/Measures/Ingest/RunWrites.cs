using Radar.Core.Measures.Timeline;

namespace Radar.Core.Measures.Ingest;

/// <summary>What a run wrote, radar by radar, for the listeners.</summary>
internal sealed class RunWrites
{
    public List<RadarMeasureWrites> Radars { get; } = [];

    public bool Incomplete { get; set; }

    public void Add(RadarDefinition radar, TimelineCommit commit)
    {
        if (commit.Writes.Count > 0 || commit.RemovedChangeIds.Count > 0)
        {
            Radars.Add(new RadarMeasureWrites(radar, commit.Writes) { RemovedChangeIds = commit.RemovedChangeIds });
        }
    }
}
