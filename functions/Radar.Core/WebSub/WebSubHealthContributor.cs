using Radar.Core.Health;

namespace Radar.Core.WebSub;

/// <summary>The hub in health: for the admin the queue's length and the failing deliveries
/// (subscriber, since when, last error); publicly only its state. A subscriber that fails is its
/// own trouble, not Radar's: the hub is degraded only when its queue cannot be read.</summary>
public sealed class WebSubHealthContributor(HubQueue queue, SubscriptionStore store, WebSubHub hub, TimeProvider clock) : IHealthContributor
{
    public string Name => "websub";

    public async Task<HealthContribution> CheckAsync(CancellationToken cancellationToken)
    {
        if (hub.HubUrl is null)
        {
            return new HealthContribution(true, new { enabled = false, reason = "Radar__PublicUrl is not set" });
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(TimeSpan.FromSeconds(5));
        var length = await queue.LengthAsync(budget.Token);
        var subscriptions = await store.ListAsync(null, budget.Token);
        var now = clock.GetUtcNow();
        var failing = subscriptions.Where(s => s.Failures > 0 && s.LeaseEnds > now)
            .Select(s => new { s.Id, s.Topic, s.Callback, s.Failures, s.FailingSince, s.LastStatus, s.LastError })
            .ToList();
        return new HealthContribution(true, new
        {
            enabled = true,
            hub = hub.HubUrl,
            queue = queue.Name,
            queueLength = length,
            subscriptions = subscriptions.Count(s => s.LeaseEnds > now),
            failingDeliveries = failing,
        });
    }
}
