using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Time.Testing;
using static Radar.Core.Tests.Ingest.IngestLeaseTesting;

namespace Radar.Core.Tests.Ingest;

/// <summary>
/// A lease outliving its duration, and one that is gone. Neither waits a lease duration in real
/// time: renewals run on a fake clock the test moves on, and the end of a dead holder's lease is
/// brought about by breaking it (Azurite enforces blob lease durations on its own clock, 15 s at
/// the least; expiry and a break leave the lease in the same place: not leased).
/// </summary>
public class IngestLeaseExpiryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_holder_renews_every_third_of_the_duration_and_keeps_the_lease_past_it()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        await using var run = await Instance(azurite, prefix, "instance-a", clock: clock).TryAcquireAsync("measures", ct);
        Assert.True(run.Acquired);
        var acquiredAt = run.Holder.Since!.Value;
        var period = ShortLease / 3;

        // Four renewals: twenty seconds on the holder's clock, past the fifteen of one lease.
        for (var renewal = 1; renewal <= 4; renewal++)
        {
            clock.Advance(period);
            var due = acquiredAt + (period * renewal);
            await Eventually.WaitForAsync(() => run.RenewedAt >= due, $"renewal {renewal} to reach storage", TimeSpan.FromSeconds(10));
        }

        await using var contender = await Instance(azurite, prefix, "instance-b").TryAcquireAsync("measures", ct);

        Assert.True(run.RenewedAt >= acquiredAt + ShortLease, $"renewed at {run.RenewedAt:O}, acquired at {acquiredAt:O}");
        Assert.False(contender.Acquired);
        Assert.Equal("instance-a", contender.Holder.Owner);
        Assert.Equal(acquiredAt, contender.Holder.Since);
        Assert.False(run.CancellationToken.IsCancellationRequested);
        Assert.False(run.LeaseLost, "every renewal was accepted by storage");
    }

    [Fact]
    public async Task A_holder_that_dies_without_releasing_blocks_the_next_run_until_its_lease_is_gone_then_hands_over()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var ct = TestContext.Current.CancellationToken;
        var dying = await Instance(azurite, prefix, "instance-a").TryAcquireAsync("news", ct);
        Assert.True(dying.Acquired);
        await dying.AbandonAsync();
        var next = Instance(azurite, prefix, "instance-b");

        await using (var refused = await next.TryAcquireAsync("news", ct))
        {
            Assert.False(refused.Acquired);
            Assert.Equal("instance-a", refused.Holder.Owner);
        }

        // What the lease's expiry does, now: the blob is no longer leased, though its metadata
        // still names the dead holder.
        var blob = (await LeaseStorage(azurite, prefix).GetContainerAsync("leases", ct)).GetBlobClient("ingest-news");
        await blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: ct);
        BlobProperties gone = await blob.GetPropertiesAsync(cancellationToken: ct);
        Assert.NotEqual(LeaseState.Leased, gone.LeaseState);

        await using var taken = await next.TryAcquireAsync("news", ct);

        Assert.True(taken.Acquired, "a lease that is gone is taken at once, whoever the blob still names");
        Assert.Equal("instance-b", taken.Holder.Owner);
        BlobProperties held = await blob.GetPropertiesAsync(cancellationToken: ct);
        Assert.Equal("instance-b", held.Metadata["holder"]);
    }
}
