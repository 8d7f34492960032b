using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using static Radar.Core.Tests.Ingest.IngestLeaseTesting;

namespace Radar.Core.Tests.Ingest;

public class IngestLeaseContentionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Of_two_contenders_at_once_exactly_one_runs_and_the_other_is_told_who()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var ct = TestContext.Current.CancellationToken;
        var a = Instance(azurite, prefix, "instance-a");
        var b = Instance(azurite, prefix, "instance-b");

        var runs = await Task.WhenAll(
            Task.Run(() => a.TryAcquireAsync("measures", ct), ct),
            Task.Run(() => b.TryAcquireAsync("measures", ct), ct));

        var winner = Assert.Single(runs, r => r.Acquired);
        var loser = Assert.Single(runs, r => !r.Acquired);
        Assert.Equal(winner.Holder, loser.Holder);
        Assert.Contains(winner.Holder.Owner, new[] { "instance-a", "instance-b" });
        Assert.NotNull(loser.Holder.Since);
        Assert.True(loser.CancellationToken.IsCancellationRequested, "a refused run must not be able to ingest");
        Assert.False(winner.CancellationToken.IsCancellationRequested);

        await winner.DisposeAsync();
        var loserName = winner.Holder.Owner == "instance-a" ? b : a;
        await using var next = await loserName.TryAcquireAsync("measures", ct);
        Assert.True(next.Acquired, "a released lease is free at once");
    }

    [Fact]
    public async Task Kinds_do_not_block_each_other()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var ct = TestContext.Current.CancellationToken;

        await using var measures = await Instance(azurite, prefix, "instance-a").TryAcquireAsync("measures", ct);
        await using var news = await Instance(azurite, prefix, "instance-b").TryAcquireAsync("news", ct);
        await using var measuresAgain = await Instance(azurite, prefix, "instance-b").TryAcquireAsync("measures", ct);

        Assert.True(measures.Acquired);
        Assert.True(news.Acquired);
        Assert.False(measuresAgain.Acquired);
        Assert.Equal("instance-a", measuresAgain.Holder.Owner);
    }

    [Fact]
    public async Task A_run_whose_lease_is_taken_away_is_cancelled()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var ct = TestContext.Current.CancellationToken;
        await using var run = await Instance(azurite, prefix, "instance-a").TryAcquireAsync("news", ct);
        Assert.True(run.Acquired);

        // An operator (or a bug) breaks the lease and someone else takes it.
        var container = await LeaseStorage(azurite, prefix).GetContainerAsync("leases", ct);
        var blob = container.GetBlobClient("ingest-news");
        await blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: ct);
        await blob.GetBlobLeaseClient().AcquireAsync(ShortLease, cancellationToken: ct);

        await Eventually.WaitForAsync(() => run.CancellationToken.IsCancellationRequested, "the run to be told it lost its lease", ShortLease * 2);
        Assert.True(run.LeaseLost);
        BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: ct);
        Assert.Equal(LeaseState.Leased, properties.LeaseState);
    }

    [Fact]
    public async Task A_kind_that_is_no_slug_is_refused()
    {
        var lease = Instance(azurite, AzuriteFixture.NewPrefix(), "instance-a");

        await Assert.ThrowsAsync<ArgumentException>(() => lease.TryAcquireAsync("../Measures", TestContext.Current.CancellationToken));
    }
}
