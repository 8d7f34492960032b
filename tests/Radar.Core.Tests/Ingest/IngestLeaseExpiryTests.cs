using static Radar.Core.Tests.Ingest.IngestLeaseTesting;

namespace Radar.Core.Tests.Ingest;

// Apart from the contention tests so that xunit runs the two classes side by side: these wait
// for a lease duration each.
public class IngestLeaseExpiryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_holder_that_renews_keeps_the_lease_past_its_duration()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var ct = TestContext.Current.CancellationToken;
        await using var run = await Instance(azurite, prefix, "instance-a").TryAcquireAsync("measures", ct);
        Assert.True(run.Acquired);
        var acquiredAt = run.Holder.Since!.Value;

        // Renewed to beyond the moment the first lease would have run out.
        await Eventually.WaitForAsync(
            () => run.RenewedAt >= acquiredAt + ShortLease + TimeSpan.FromSeconds(1),
            "the lease to be renewed past its first expiry", ShortLease * 3);
        await using var contender = await Instance(azurite, prefix, "instance-b").TryAcquireAsync("measures", ct);

        Assert.False(contender.Acquired);
        Assert.Equal("instance-a", contender.Holder.Owner);
        Assert.Equal(acquiredAt, contender.Holder.Since);
        Assert.False(run.CancellationToken.IsCancellationRequested);
        Assert.False(run.LeaseLost);
    }

    [Fact]
    public async Task A_holder_that_dies_without_releasing_hands_over_once_the_lease_expires()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var ct = TestContext.Current.CancellationToken;
        var dying = await Instance(azurite, prefix, "instance-a").TryAcquireAsync("news", ct);
        Assert.True(dying.Acquired);
        await dying.AbandonAsync();
        var lastRenewal = dying.RenewedAt;
        var next = Instance(azurite, prefix, "instance-b");

        await using (var refused = await next.TryAcquireAsync("news", ct))
        {
            Assert.False(refused.Acquired);
            Assert.Equal("instance-a", refused.Holder.Owner);
        }

        await using var taken = await Eventually.WaitForAsync(
            () => next.TryAcquireAsync("news", ct), r => r.Acquired,
            "the next run to get the lease once it expired", ShortLease * 3, TimeSpan.FromMilliseconds(500));

        Assert.Equal("instance-b", taken.Holder.Owner);
        // Not before the dead holder's lease ran out (a second of slack for the two clocks).
        Assert.True(taken.Holder.Since >= lastRenewal + ShortLease - TimeSpan.FromSeconds(1),
            $"taken at {taken.Holder.Since:O}, last renewal {lastRenewal:O}");
    }
}
