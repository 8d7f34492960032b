using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Radar.Core;
using Radar.Core.Storage;

namespace Radar.Functions.Tests.ScaleOut;

/// <summary>
/// Two Radar instances on one storage, both with their timers on, as a city runs them once one
/// machine is not enough. One ingest of a kind runs at a time across both, whoever starts it
/// (timer or admin call), and a crashed holder blocks the next run only until its lease is gone.
/// The measure source is a test server that holds each fetch until the test lets it go, so "an
/// ingest is running" is a state the test controls rather than a race it hopes to win.
/// </summary>
public class TwoInstanceIngestTests(AzuriteFixture azurite)
{
    private const int SampleMeasures = 48;

    [Fact]
    public async Task Admin_ingests_fired_at_both_instances_with_timers_on_run_one_ingest_at_a_time_and_write_no_duplicate_history()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SourceServer.StartAsync();
        var source = new HeldSource(server, "/muenchen.json", await File.ReadAllBytesAsync(SamplePath, ct));
        var settings = Settings(AzuriteFixture.NewPrefix(), server.Url("muenchen.json"));
        await using var a = await RunnerInstance.StartAsync("A", settings, ct);
        await using var b = await RunnerInstance.StartAsync("B", settings, ct);
        await Task.WhenAll(a.WaitUntilServingAsync(ct), b.WaitUntilServingAsync(ct));

        var atA = a.IngestMeasuresAsync(ct);
        var atB = b.IngestMeasuresAsync(ct);

        // Whoever got the lease (a timer or one of the calls) is now held at the source; nobody
        // else may get past the lease. A refused call answers at once, while the source is held.
        await Eventually.WaitForAsync(
            () => Task.FromResult(new[] { atA, atB }.Count(call => call.IsCompleted)),
            completed => completed >= 1,
            "an admin ingest to be refused while another run holds the source",
            TimeSpan.FromSeconds(90));
        Assert.True(source.MaxConcurrent <= 1, "never two fetches of the source at once");
        var early = await (atA.IsCompleted ? atA : atB);
        Assert.Equal(StatusCodes.Status409Conflict, early.Status);
        Assert.Contains(HolderPid(early.Body), new[] { a.ProcessId, b.ProcessId });

        source.Release();
        var answers = await Task.WhenAll(atA, atB);
        var fetchesWhenReleased = source.Started;

        // Both timers go on firing (every two seconds); let a few more runs on both go by.
        await Eventually.WaitForAsync(
            () => Task.FromResult(source.Started),
            started => started >= fetchesWhenReleased + 4,
            "more timer runs on both instances",
            TimeSpan.FromSeconds(90));

        Assert.True(answers.Count(x => x.Status == StatusCodes.Status200OK) <= 1, "at most one of the two calls ran an ingest while the other was running");
        Assert.All(answers, x => Assert.Contains(x.Status, new[] { StatusCodes.Status200OK, StatusCodes.Status409Conflict }));
        Assert.Equal(1, source.MaxConcurrent);
        await AssertEveryMeasureCreatedExactlyOnceAsync(a, ct);
        await AssertEveryMeasureCreatedExactlyOnceAsync(b, ct);
    }

    [Fact]
    public async Task When_the_holder_is_killed_mid_run_the_next_run_completes_once_its_lease_is_gone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await SourceServer.StartAsync();
        var source = new HeldSource(server, "/muenchen.json", await File.ReadAllBytesAsync(SamplePath, ct));
        var prefix = AzuriteFixture.NewPrefix();
        var settings = Settings(prefix, server.Url("muenchen.json"));
        await using var a = await RunnerInstance.StartAsync("A", settings, ct);
        await using var b = await RunnerInstance.StartAsync("B", settings, ct);
        await Task.WhenAll(a.WaitUntilServingAsync(ct), b.WaitUntilServingAsync(ct));
        await Eventually.WaitForAsync(
            () => Task.FromResult(source.Started),
            started => started >= 1,
            "a timer run to start fetching",
            TimeSpan.FromSeconds(90));

        var (status, refusal) = await a.IngestMeasuresAsync(ct);
        Assert.Equal(StatusCodes.Status409Conflict, status);
        var holderPid = HolderPid(refusal);
        var (holder, survivor) = holderPid == a.ProcessId ? (a, b) : (b, a);
        Assert.Equal(holderPid, holder.ProcessId);

        await holder.KillAsync();
        source.Release();

        // The crashed holder cannot release its lease: it blocks runs until it is gone…
        var (statusAfterKill, stillHeld) = await survivor.IngestMeasuresAsync(ct);
        Assert.Equal(StatusCodes.Status409Conflict, statusAfterKill);
        Assert.Equal(holderPid, HolderPid(stillHeld));

        // …which takes its 30 s on Azurite's own clock; breaking it leaves the blob as expiry would
        // (not leased, the dead holder still named in its metadata)…
        var leases = await LeaseContainerAsync(prefix, ct);
        await leases.GetBlobClient("ingest-measures").GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: ct);

        // …and then the survivor's timer takes over and completes the ingest.
        await Eventually.WaitForAsync(
            () => MeasureIdsAsync(survivor, ct),
            ids => ids.Count == SampleMeasures,
            "the survivor's next run to ingest the sample once the dead holder's lease was gone",
            TimeSpan.FromSeconds(90),
            TimeSpan.FromMilliseconds(500));
        await AssertEveryMeasureCreatedExactlyOnceAsync(survivor, ct);
    }

    private async Task<BlobContainerClient> LeaseContainerAsync(string prefix, CancellationToken ct)
    {
        var storage = new RadarStorage(
            StorageConnection.FromConfiguration(
                new ConfigurationBuilder().AddInMemoryCollection([new("Storage", azurite.ConnectionString)]).Build(), "Storage"),
            Options.Create(new RadarOptions { StoragePrefix = prefix }));
        return await storage.GetContainerAsync("leases", ct);
    }

    private static string SamplePath => Path.Combine(AzuriteFixture.RepoRoot, "samples", "measures", "muenchen.json");

    private Dictionary<string, string> Settings(string prefix, string sourceUrl) => new()
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["Radar__StoragePrefix"] = prefix,
        ["LocalRunner__FunctionKey"] = RadarApp.FunctionKey,
        ["LocalRunner__RunTimersOnStartup"] = "true",
        ["IngestMeasuresSchedule"] = "*/2 * * * * *",
        ["IngestNewsSchedule"] = "0 0 0 1 1 *",
        ["Radar__Http__CacheSeconds"] = "0",
        ["Radar__Measures__DefaultRadar"] = "muenchen",
        ["Radar__Sources__0__Id"] = "muenchen",
        ["Radar__Sources__0__Url"] = sourceUrl,
        ["Radar__Sources__0__Kind"] = "measures-json",

        // The held fetch must outlast the test's hold, not time out and retry.
        ["Radar__Fetch__Timeout"] = "00:03:00",
    };

    private static int HolderPid(JsonElement problem)
    {
        // The holder is named "<machine> (pid N)" (IngestLeaseOptions.Owner).
        var holder = problem.GetProperty("holder").GetString() ?? string.Empty;
        var start = holder.LastIndexOf("(pid ", StringComparison.Ordinal);
        Assert.True(start >= 0, $"the refusal names the holding process: {problem}");
        return int.Parse(holder.AsSpan(start + 5).TrimEnd(')'), CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> MeasureIdsAsync(RunnerInstance instance, CancellationToken ct)
    {
        using var response = await instance.Client.GetAsync("api/radar", ct);
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }

        var radar = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return [.. radar.GetProperty("measures").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];
    }

    private static async Task AssertEveryMeasureCreatedExactlyOnceAsync(RunnerInstance instance, CancellationToken ct)
    {
        var ids = await MeasureIdsAsync(instance, ct);
        Assert.Equal(SampleMeasures, ids.Count);
        foreach (var id in ids)
        {
            var measure = await instance.Client.GetFromJsonAsync<JsonElement>($"api/measures/{id}", ct);
            var kinds = measure.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("kind").GetString()).ToList();
            Assert.True(kinds is ["created"], $"{id} on {instance.Name} has the history [{string.Join(", ", kinds)}], not one 'created'");
        }
    }

    /// <summary>The measure source: every fetch waits until <see cref="Release"/>; counts how many
    /// fetches started and how many were ever in flight at once.</summary>
    private sealed class HeldSource
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _maxConcurrent;
        private int _started;

        public HeldSource(SourceServer server, string path, byte[] body)
        {
            server.Map(path, async context =>
            {
                Interlocked.Increment(ref _started);
                var now = Interlocked.Increment(ref _inFlight);
                InterlockedMax(ref _maxConcurrent, now);
                try
                {
                    await _released.Task.WaitAsync(context.RequestAborted);
                    context.Response.ContentType = "application/json";
                    await context.Response.Body.WriteAsync(body, context.RequestAborted);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            });
        }

        public int Started => Volatile.Read(ref _started);

        public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

        public void Release() => _released.TrySetResult();

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }
}
