using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Ingest;
using Radar.Core.Search.Replication;

namespace Radar.Functions.Tests.Search;

/// <summary>
/// The index as ingest feeds it and as instances share it through Blob storage: several Radar
/// instances (each its own Kestrel, runner and replica) on one storage prefix of the test run's
/// Azurite, like several Functions instances on one storage account.
/// </summary>
public class IndexReplicationTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A serving instance that checks the manifest often, so tests wait little.</summary>
    private static readonly Dictionary<string, string?> FastRefresh = new() { ["Radar:Search:RefreshInterval"] = "00:00:00.2" };

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(RadarApp app, string url)
    {
        using var response = await app.Client.GetAsync(url, Ct);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    private static async Task<List<string>> IdsAsync(RadarApp app, string query)
    {
        var (status, body) = await GetAsync(app, "api/search?pageSize=100&" + query);
        return status != HttpStatusCode.OK ? [$"status {(int)status}"]
            : [.. body.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("type").GetString() + ":" + h.GetProperty("id").GetString())];
    }

    private static Task<List<string>> WaitForIdsAsync(RadarApp app, string query, Func<List<string>, bool> done, string what) =>
        Eventually.WaitForAsync(() => IdsAsync(app, query), done, what, TimeSpan.FromSeconds(60));

    private static async Task<IndexManifest> ManifestAsync(RadarApp app) =>
        (await app.Services.GetRequiredService<SnapshotStore>().ReadManifestAsync(Ct)).Manifest
        ?? throw new InvalidOperationException("No manifest published.");

    private static async Task<BlobContainerClient> IndexContainerAsync(RadarApp app) =>
        await app.Services.GetRequiredService<SnapshotStore>().ContainerAsync(Ct);

    [Fact]
    public async Task A_new_changed_and_removed_measure_is_found_updated_and_gone_after_the_ingest()
    {
        // The same search before and after the ingest: no answers kept per URL in between.
        await using var radars = await SampleRadars.StartAsync(azurite, Ct, new Dictionary<string, string?> { ["Radar:Http:CacheSeconds"] = "0" });
        var app = radars.App;
        await WaitForIdsAsync(app, "q=Shuttlebus&type=measure", ids => ids.Contains("measure:autonomer-shuttle"), "the sample shuttle");

        await radars.EditListAndIngestAsync(measures =>
        {
            var wlan = measures.Single(m => (string?)m!["id"] == "oeffentliches-wlan")!.DeepClone().AsObject();
            wlan["id"] = "wlan-ubahn";
            wlan["title"] = "WLAN in allen U-Bahnhöfen";
            measures.Add(wlan);
            measures.Single(m => (string?)m!["id"] == "handyparken")!["title"] = "Handyparken mit Parkuhr-Zauberei";
            measures.Remove(measures.Single(m => (string?)m!["id"] == "autonomer-shuttle"));
        }, Ct);

        await WaitForIdsAsync(app, "q=Zauberei&type=measure", ids => ids.Contains("measure:handyparken"), "the changed title");
        Assert.Contains("measure:wlan-ubahn", await IdsAsync(app, "q=U-Bahnh%C3%B6fen&type=measure"));
        Assert.DoesNotContain("measure:autonomer-shuttle", await IdsAsync(app, "q=Shuttlebus&type=measure"));
        // Its history stays findable: the change that removed it among it.
        Assert.Contains(await IdsAsync(app, "q=Shuttlebus&type=change"),
            id => id.StartsWith("change:muenchen:autonomer-shuttle:", StringComparison.Ordinal) && id != "change:muenchen:autonomer-shuttle:2024");
        var (_, wlan) = await GetAsync(app, "api/search?q=U-Bahnh%C3%B6fen&type=measure");
        Assert.Equal("WLAN in allen U-Bahnhöfen", wlan.GetProperty("hits")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_second_instance_loads_the_published_index_and_follows_new_commits_while_searches_never_fail()
    {
        await using var writer = await SampleRadars.StartAsync(azurite, Ct);
        var before = await ManifestAsync(writer.App);
        // Every search reaches the index: no answers kept per URL.
        var uncached = new Dictionary<string, string?>(FastRefresh) { ["Radar:Http:CacheSeconds"] = "0" };
        await using var reader = await RadarApp.StartAsync(azurite, uncached, storagePrefix: writer.App.StoragePrefix);

        await WaitForIdsAsync(reader, "q=wlan", ids => ids.FirstOrDefault() == "measure:oeffentliches-wlan", "the second instance to serve the snapshot");
        var (_, health) = await GetAsync(reader, "api/admin/health?code=" + RadarApp.FunctionKey);
        var index = health.GetProperty("components").GetProperty("index");
        // Downloaded, not rebuilt: the writer's lineage, and nothing published by the reader.
        Assert.Equal(before.Lineage, index.GetProperty("replica").GetProperty("lineage").GetString());
        Assert.False(index.TryGetProperty("lastPublish", out _));

        // Search the reader without pause while the writer ingests a change and it refreshes.
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var titles = new HashSet<string>();
        var latencies = new List<double>();
        var answered = new int[3];
        var hammers = Enumerable.Range(0, 3).Select(n => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var url = n == 2 ? "api/suggest?q=wl" : "api/search?q=wlan&type=measure&radar=muenchen";
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                using var response = await reader.Client.GetAsync(url, Ct);
                var body = await response.Content.ReadAsStringAsync(Ct);
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (failures)
                {
                    latencies.Add(elapsed);
                    answered[n]++;
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Add($"{(int)response.StatusCode} {url}: {body}");
                    }
                    else if (n != 2)
                    {
                        titles.Add(JsonDocument.Parse(body).RootElement.GetProperty("hits")[0].GetProperty("title").GetString()!);
                    }
                }
            }
        }, Ct)).ToList();
        int[] Answered()
        {
            lock (failures)
            {
                return [.. answered];
            }
        }

        // Every searcher is going before the ingest starts…
        await Eventually.WaitForAsync(() => Task.FromResult(Answered()), a => a.All(count => count >= 3), "every searcher to get answers before the ingest");
        var ingested = System.Diagnostics.Stopwatch.GetTimestamp();
        await writer.EditAndIngestAsync(measure => measure("oeffentliches-wlan")["title"] = "Öffentliches WLAN „M-WLAN“ mit Funkzauber", Ct);
        var published = System.Diagnostics.Stopwatch.GetElapsedTime(ingested).TotalMilliseconds;
        await WaitForIdsAsync(reader, "q=Funkzauber", ids => ids.Contains("measure:oeffentliches-wlan"), "the second instance to see the new commit");
        await Eventually.WaitForAsync(() => titles.Contains("Öffentliches WLAN „M-WLAN“ mit Funkzauber"), "a hammering search to see the new commit");
        var seen = System.Diagnostics.Stopwatch.GetElapsedTime(ingested).TotalMilliseconds;

        // …and still going, every one of them, after the new commit is served.
        var atSwap = Answered();
        await Eventually.WaitForAsync(() => Task.FromResult(Answered()), a => a.Select((count, i) => count >= atSwap[i] + 3).All(x => x), "every searcher to get answers after the refresh");
        await stop.CancelAsync();
        await Task.WhenAll(hammers);
        latencies.Sort();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"ingest+publish {published:0} ms; new commit served by the second instance {seen:0} ms after the ingest started; " +
            $"{latencies.Count} requests meanwhile, p50 {latencies[latencies.Count / 2]:0.0} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:0.0} ms, max {latencies[^1]:0.0} ms");

        // Searches before, during and after the refresh all answered, the old commit and the new.
        Assert.Empty(failures);
        Assert.Contains("Öffentliches WLAN „M-WLAN“", titles);
        var now = await ManifestAsync(writer.App);
        Assert.Equal(before.Lineage, now.Lineage);
        Assert.True(now.Generation > before.Generation);
        (_, health) = await GetAsync(reader, "api/admin/health?code=" + RadarApp.FunctionKey);
        Assert.Equal(now.Generation, health.GetProperty("components").GetProperty("index").GetProperty("replica").GetProperty("generation").GetInt64());
    }

    [Fact]
    public async Task A_reader_of_the_manifest_during_publishes_always_finds_every_file_it_names()
    {
        await using var radars = await SampleRadars.StartAsync(azurite, Ct);
        var store = radars.App.Services.GetRequiredService<SnapshotStore>();
        var container = await store.ContainerAsync(Ct);
        using var stop = new CancellationTokenSource();
        var generations = new System.Collections.Concurrent.ConcurrentDictionary<long, bool>();
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var manifest = (await store.ReadManifestAsync(Ct)).Manifest;
                if (manifest is null || !generations.TryAdd(manifest.Generation, true))
                {
                    continue;
                }

                foreach (var file in manifest.Files)
                {
                    var blob = container.GetBlobClient(file.Blob);
                    if (!await blob.ExistsAsync(Ct))
                    {
                        problems.Add($"generation {manifest.Generation} names {file.Blob}, which is not there");
                    }
                    else if ((await blob.GetPropertiesAsync(cancellationToken: Ct)).Value.ContentLength != file.Length)
                    {
                        problems.Add($"generation {manifest.Generation}: {file.Blob} has another length");
                    }
                }
            }
        }, Ct);

        for (var progress = 10; progress <= 40; progress += 10)
        {
            var value = progress;
            await radars.EditAndIngestAsync(measure => measure("handyparken")["progress"] = value, Ct);
        }

        var last = await ManifestAsync(radars.App);
        await Eventually.WaitForAsync(() => generations.ContainsKey(last.Generation), "the reader to check the last commit");
        await stop.CancelAsync();
        await reader;

        Assert.Empty(problems);
        Assert.True(generations.Count >= 3, $"{generations.Count} commits checked");
    }

    [Fact]
    public async Task A_starting_instance_rebuilds_a_corrupt_snapshot_from_the_tables()
    {
        await using var writer = await SampleRadars.StartAsync(azurite, Ct);
        var published = await ManifestAsync(writer.App);
        var container = await IndexContainerAsync(writer.App);
        var victim = published.Files.OrderByDescending(f => f.Length).First();
        // Same length, other bytes: only the hash can tell.
        await container.GetBlobClient(victim.Blob).UploadAsync(BinaryData.FromBytes(new byte[victim.Length]), overwrite: true, Ct);

        await using var starting = await RadarApp.StartAsync(azurite, FastRefresh, storagePrefix: writer.App.StoragePrefix);

        await WaitForIdsAsync(starting, "q=wlan", ids => ids.FirstOrDefault() == "measure:oeffentliches-wlan", "the new instance to serve after a rebuild");
        var rebuilt = await ManifestAsync(starting);
        Assert.NotEqual(published.Lineage, rebuilt.Lineage);
        Assert.StartsWith("rebuild", rebuilt.Reason, StringComparison.Ordinal);
        Assert.Equal(published.Documents, rebuilt.Documents);
        Assert.True(rebuilt.Documents["measure"] >= 57);
    }

    [Fact]
    public async Task A_starting_instance_rebuilds_a_missing_snapshot_from_the_tables()
    {
        await using var writer = await SampleRadars.StartAsync(azurite, Ct);
        var published = await ManifestAsync(writer.App);
        var container = await IndexContainerAsync(writer.App);
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: Ct))
        {
            await container.DeleteBlobAsync(blob.Name, cancellationToken: Ct);
        }

        await using var starting = await RadarApp.StartAsync(azurite, FastRefresh, storagePrefix: writer.App.StoragePrefix);

        await WaitForIdsAsync(starting, "q=wlan", ids => ids.FirstOrDefault() == "measure:oeffentliches-wlan", "the new instance to serve after a rebuild");
        var rebuilt = await ManifestAsync(starting);
        Assert.NotEqual(published.Lineage, rebuilt.Lineage);
        Assert.Equal(published.Documents, rebuilt.Documents);
    }

    [Fact]
    public async Task While_no_index_is_loaded_search_and_suggest_answer_503_with_retry_after_then_recover()
    {
        await using var writer = await SampleRadars.StartAsync(azurite, Ct);
        // Another writer holds the index and the snapshot is gone: a starting instance has nothing to load.
        var lease = await writer.App.Services.GetRequiredService<IngestLease>().TryAcquireAsync(IndexUpdater.LeaseKind, Ct);
        Assert.True(lease.Acquired);
        var container = await IndexContainerAsync(writer.App);
        await container.DeleteBlobAsync(SnapshotStore.ManifestBlob, cancellationToken: Ct);
        var settings = new Dictionary<string, string?>(FastRefresh) { ["Radar:Search:LeaseWait"] = "00:00:00", ["Radar:Http:FirstLoadWaitSeconds"] = "0" };
        await using var starting = await RadarApp.StartAsync(azurite, settings, storagePrefix: writer.App.StoragePrefix, waitForSnapshot: false);

        foreach (var url in new[] { "api/search?q=wlan", "api/suggest?q=wl" })
        {
            using var response = await starting.Client.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            Assert.Equal(503, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetInt32());
        }

        await lease.DisposeAsync();
        await WaitForIdsAsync(starting, "q=wlan", ids => ids.FirstOrDefault() == "measure:oeffentliches-wlan", "the instance to serve once the index is rebuilt");
    }

    [Fact]
    public async Task Admin_reindex_needs_the_key_and_reports_what_it_rebuilt()
    {
        await using var radars = await SampleRadars.StartAsync(azurite, Ct);
        var app = radars.App;
        var before = await ManifestAsync(app);

        using var anonymous = await app.Client.PostAsync("api/admin/reindex", null, Ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/reindex");
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await app.Client.SendAsync(request, Ct);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("rebuilt", report.GetProperty("outcome").GetString());
        Assert.Equal(57, report.GetProperty("documents").GetProperty("measure").GetInt32());
        Assert.Equal(57, report.GetProperty("documents").GetProperty("change").GetInt32());
        // 114 search documents and the read model: 2 radar records and 57 measure records.
        Assert.Equal(173, report.GetProperty("upserted").GetInt32());
        Assert.True(report.GetProperty("files").GetInt32() > 0);
        var after = await ManifestAsync(app);
        Assert.Equal(report.GetProperty("lineage").GetString(), after.Lineage);
        Assert.NotEqual(before.Lineage, after.Lineage);
        await WaitForIdsAsync(app, "q=wlan", ids => ids.FirstOrDefault() == "measure:oeffentliches-wlan", "search on the rebuilt index");
    }
}
