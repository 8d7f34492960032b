using Radar.Core.Health;
using Radar.Core.Search.Replication;

namespace Radar.Core.Search.Serving;

/// <summary>The index under <c>index</c> in <c>/api/health</c>: the commit this instance serves
/// (lineage, generation, documents per type, when published and loaded), when the manifest was
/// last checked, how far behind the newest published commit it is, and what this instance last
/// published. Loading at start is not a fault; failing to load or refresh, or a stale snapshot,
/// degrades health. It is the component that says whether a snapshot is loaded
/// (<see cref="HealthContribution.Serving"/>): without one, a failing load makes health unavailable.</summary>
public sealed class IndexHealthContributor(IndexReplica replica, IndexUpdater updater) : IHealthContributor
{
    public string Name => "index";

    public Task<HealthContribution> CheckAsync(CancellationToken cancellationToken)
    {
        var status = replica.Status();
        var healthy = status.State != "failing" && status.Stale is null;
        return Task.FromResult(new HealthContribution(healthy, new
        {
            status = healthy ? HealthStatus.Ok : HealthStatus.Degraded,
            replica = status,
            lastPublish = updater.LastPublish,
        }, status.Documents)
        {
            Serving = replica.IsLoaded,
        });
    }
}
