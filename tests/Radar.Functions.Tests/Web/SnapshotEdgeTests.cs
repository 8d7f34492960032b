using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Radar.Core.Ingest;
using Radar.Core.Search.Replication;
using Radar.Local.Azurite;

namespace Radar.Functions.Tests.Web;

/// <summary>
/// The edge around the published snapshot: every public answer names the snapshot it comes from,
/// the answer cache follows its generation and stays within its byte bound, an instance that
/// never loaded one answers 503 (problem on <c>/api</c>, German page on pages), and health tells
/// a loaded instance with storage out of reach (degraded, 200) from one with nothing (503).
/// </summary>
public partial class SnapshotEdgeTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> FastRefresh = new() { ["Radar:Search:RefreshInterval"] = "00:00:00.2" };

    [GeneratedRegex("^lineage=(?<lineage>[a-z0-9]+); generation=(?<generation>[0-9]+); published=(?<published>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)$")]
    private static partial Regex SnapshotHeader();

    private static string? Snapshot(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Radar-Snapshot", out var values) ? values.Single() : null;

    private static async Task<JsonElement> AdminHealthAsync(RadarApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/admin/health");
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await app.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task Every_public_answer_names_the_loaded_snapshot_and_static_files_and_admin_do_not()
    {
        await using var radars = await SampleRadars.StartAsync(azurite, Ct, FastRefresh);
        var app = radars.App;
        var manifest = (await app.Services.GetRequiredService<SnapshotStore>().ReadManifestAsync(Ct)).Manifest!;
        var expected = $"lineage={manifest.Lineage}; generation={manifest.Generation}; published={manifest.PublishedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";
        await Eventually.WaitForAsync(
            async () =>
            {
                using var response = await app.Client.GetAsync("api/radar", Ct);
                return Snapshot(response);
            },
            value => value == expected,
            "the instance to serve the ingest's snapshot");

        string[] stamped =
        [
            "api/radar", "api/measures/oeffentliches-wlan", "api/news", "api/search?q=wlan", "api/suggest?q=wl", "api/changes",
            "api/feed.rss", "api/feed.atom?q=wlan", "api/feed.json", "api/radar.svg", "api/oembed?url=" + Uri.EscapeDataString(app.BaseAddress + "massnahmen/oeffentliches-wlan"),
            "", "massnahmen/oeffentliches-wlan", "suche?q=wlan", "embed?q=wlan", "api/measures/gibt-es-nicht", "massnahmen/gibt-es-nicht",
        ];
        foreach (var url in stamped)
        {
            using var response = await app.Client.GetAsync(url, Ct);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"/{url}: {(int)response.StatusCode}");
            Assert.True(Snapshot(response) == expected, $"/{url}: {Snapshot(response)}");
            var age = long.Parse(response.Headers.GetValues("Radar-Snapshot-Age").Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(age, 0, (long)(DateTimeOffset.UtcNow - manifest.PublishedAt).TotalSeconds + 1);
            Assert.False(response.Headers.Age.HasValue, $"/{url}: Age is for caches");
        }

        // Scripts on other sites may read it (the widget, a newsroom's code).
        using (var api = await app.Client.GetAsync("api/changes", Ct))
        {
            var exposed = api.Headers.GetValues("Access-Control-Expose-Headers").Single().Split(", ");
            Assert.Contains("Radar-Snapshot", exposed);
            Assert.Contains("Radar-Snapshot-Age", exposed);
        }

        // A conditional request names it too (the 304 says which snapshot the copy is current for).
        using (var first = await app.Client.GetAsync("api/radar", Ct))
        using (var again = new HttpRequestMessage(HttpMethod.Get, "api/radar"))
        {
            again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
            using var notModified = await app.Client.SendAsync(again, Ct);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Equal(expected, Snapshot(notModified));
        }

        var site = await app.Client.GetStringAsync("", Ct);
        var stylesheet = Regex.Match(site, "href=\"/(static/[^\"]+\\.css)\"").Groups[1].Value;
        foreach (var url in new[] { stylesheet, "api/widget.js", "api/openapi.json", "api/health", "gibt/es/nicht" })
        {
            using var response = await app.Client.GetAsync(url, Ct);
            Assert.True(Snapshot(response) is null, $"/{url} is not built from the snapshot");
        }

        using var admin = new HttpRequestMessage(HttpMethod.Get, "api/admin/sources");
        admin.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var adminResponse = await app.Client.SendAsync(admin, Ct);
        Assert.Null(Snapshot(adminResponse));
        Assert.Matches(SnapshotHeader(), expected);
    }

    [Fact]
    public async Task A_new_generation_is_served_at_once_although_the_cached_answer_has_not_expired()
    {
        // An hour: without the generation in the key, the old answer would stay that long.
        var settings = new Dictionary<string, string?>(FastRefresh) { ["Radar:Http:CacheSeconds"] = "3600" };
        await using var radars = await SampleRadars.StartAsync(azurite, Ct, settings);
        var app = radars.App;
        var before = await Eventually.WaitForAsync(
            async () =>
            {
                using var response = await app.Client.GetAsync("api/search?q=wlan&type=measure", Ct);
                return (Snapshot: Snapshot(response), Body: await response.Content.ReadAsStringAsync(Ct));
            },
            got => got.Snapshot is not null && got.Body.Contains("oeffentliches-wlan", StringComparison.Ordinal),
            "the instance to serve the sample");
        Assert.DoesNotContain("Glasfaser-Hotspot", before.Body, StringComparison.Ordinal);
        using (var cached = await app.Client.GetAsync("api/search?q=wlan&type=measure", Ct))
        {
            Assert.Equal(before.Body, await cached.Content.ReadAsStringAsync(Ct));
        }

        await radars.EditAndIngestAsync(measure => measure("oeffentliches-wlan")["title"] = "Glasfaser-Hotspot M-WLAN", Ct);

        var after = await Eventually.WaitForAsync(
            async () =>
            {
                using var response = await app.Client.GetAsync("api/search?q=wlan&type=measure", Ct);
                return (Snapshot: Snapshot(response), Body: await response.Content.ReadAsStringAsync(Ct));
            },
            got => got.Snapshot != before.Snapshot,
            "the instance to load the next generation");
        Assert.Contains("Glasfaser-Hotspot M-WLAN", after.Body, StringComparison.Ordinal);
        var generation = long.Parse(SnapshotHeader().Match(after.Snapshot!).Groups["generation"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(generation > long.Parse(SnapshotHeader().Match(before.Snapshot!).Groups["generation"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Many_distinct_urls_do_not_grow_the_answer_cache_past_its_byte_bound()
    {
        const long bound = 24 * 1024;
        var settings = new Dictionary<string, string?>(FastRefresh)
        {
            ["Radar:Http:CacheSeconds"] = "3600",
            ["Radar:Http:CacheBytes"] = bound.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await using var radars = await SampleRadars.StartAsync(azurite, Ct, settings);
        var app = radars.App;

        long sent = 0;
        for (var i = 0; i < 40; i++)
        {
            // Parameters a route does not read are ignored, so each is a distinct URL of the same answer.
            using var response = await app.Client.GetAsync($"api/search?q=wlan&n={i}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            sent += (await response.Content.ReadAsByteArrayAsync(Ct)).Length;
            var cache = (await AdminHealthAsync(app)).GetProperty("components").GetProperty("answerCache");
            Assert.InRange(cache.GetProperty("bytes").GetInt64(), 0, bound);
        }

        var state = (await AdminHealthAsync(app)).GetProperty("components").GetProperty("answerCache");
        Assert.True(sent > 2 * bound, $"the answers ({sent} bytes) must not fit the bound for the test to bite");
        Assert.Equal(bound, state.GetProperty("maxBytes").GetInt64());
        Assert.InRange(state.GetProperty("bytes").GetInt64(), 1, bound);
        Assert.InRange(state.GetProperty("entries").GetInt32(), 1, 39);
        Assert.True(state.GetProperty("evicted").GetInt64() > 0);

        // What is kept is still served from memory; what was evicted is built again, the same.
        using var newest = await app.Client.GetAsync("api/search?q=wlan&n=39", Ct);
        using var oldest = await app.Client.GetAsync("api/search?q=wlan&n=0", Ct);
        Assert.Equal(newest.Headers.ETag, oldest.Headers.ETag);
    }

    [Fact]
    public async Task Before_the_first_load_data_routes_answer_503_problem_or_German_page_and_health_openapi_and_files_answer()
    {
        await using var writer = await SampleRadars.StartAsync(azurite, Ct);
        // Another writer holds the index and the snapshot is gone: a starting instance has nothing to load.
        var lease = await writer.App.Services.GetRequiredService<IngestLease>().TryAcquireAsync(IndexUpdater.LeaseKind, Ct);
        Assert.True(lease.Acquired);
        var container = await writer.App.Services.GetRequiredService<SnapshotStore>().ContainerAsync(Ct);
        await container.DeleteBlobAsync(SnapshotStore.ManifestBlob, cancellationToken: Ct);
        var settings = new Dictionary<string, string?>(FastRefresh)
        {
            ["Radar:Search:LeaseWait"] = "00:00:00",
            ["Radar:Http:FirstLoadWaitSeconds"] = "0.2",
        };
        await using var starting = await RadarApp.StartAsync(azurite, settings, storagePrefix: writer.App.StoragePrefix, waitForSnapshot: false);

        try
        {
            foreach (var url in new[] { "api/radar", "api/measures/oeffentliches-wlan", "api/news", "api/changes", "api/feed.rss", "api/feed.json?q=wlan", "api/search?q=wlan", "api/radar.svg", "api/opendata/muenchen/2024.csv" })
            {
                using var response = await starting.Client.GetAsync(url, Ct);
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"/{url}: {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
                Assert.True(response.Headers.CacheControl?.NoStore, url);
                Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
                Assert.Null(Snapshot(response));
                Assert.Equal(503, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetInt32());
            }

            foreach (var url in new[] { "", "massnahmen/oeffentliches-wlan", "suche?q=wlan", "embed", "bericht/2024", "vergleich?von=2024" })
            {
                using var response = await starting.Client.GetAsync(url, Ct);
                var html = await response.Content.ReadAsStringAsync(Ct);
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"/{url}: {(int)response.StatusCode}");
                Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
                Assert.Contains("<html lang=\"de\">", html, StringComparison.Ordinal);
                Assert.Contains("Fehler 503", html, StringComparison.Ordinal);
                Assert.Contains("Gleich wieder da", html, StringComparison.Ordinal);
                Assert.True(response.Headers.Contains("Content-Security-Policy"), url);
            }

            // What does not come from the snapshot answers: the OpenAPI document, the widget script,
            // the stylesheets, the 404 page.
            foreach (var (url, status) in new[] { ("api/openapi.json", HttpStatusCode.OK), ("api/widget.js", HttpStatusCode.OK), ("gibt/es/nicht", HttpStatusCode.NotFound), ("api/gibt-es-nicht", HttpStatusCode.NotFound) })
            {
                using var response = await starting.Client.GetAsync(url, Ct);
                Assert.True(response.StatusCode == status, $"/{url}: {(int)response.StatusCode}");
            }

            // Health: storage is reached, but the load fails (another writer) and nothing is loaded.
            var health = await Eventually.WaitForAsync(
                async () =>
                {
                    using var response = await starting.Client.GetAsync("api/health", Ct);
                    return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
                },
                got => got.StatusCode == HttpStatusCode.ServiceUnavailable,
                "public health to say the instance has nothing to serve");
            var problem = JsonDocument.Parse(health.Body).RootElement;
            Assert.Equal("unavailable", problem.GetProperty("health").GetProperty("status").GetString());
            Assert.Equal("ok", problem.GetProperty("health").GetProperty("storage").GetProperty("status").GetString());
            Assert.DoesNotContain("another", health.Body, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await lease.DisposeAsync();
        }

        // Once the writer is gone the replica rebuilds and loads, and every route answers.
        foreach (var url in new[] { "api/radar", "", "api/feed.rss" })
        {
            var response = await Eventually.WaitForAsync(
                async () =>
                {
                    using var answer = await starting.Client.GetAsync(url, Ct);
                    return (answer.StatusCode, Snapshot: Snapshot(answer));
                },
                got => got.StatusCode == HttpStatusCode.OK,
                $"/{url} to answer once a snapshot is loaded",
                TimeSpan.FromSeconds(60));
            Assert.NotNull(response.Snapshot);
        }
    }

    [Fact]
    public async Task With_storage_out_of_reach_a_loaded_instance_answers_and_health_is_degraded_not_503()
    {
        // Its own Azurite, so stopping it leaves the other tests' storage alone.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var own = await AzuriteProcess.StartAsync(AzuriteFixture.RepoRoot, AzuritePorts.Free(), location: null, NullLogger.Instance, timeout.Token);
        await using var stopped = own;
        var settings = new Dictionary<string, string?>(FastRefresh) { ["AzureWebJobsStorage"] = own.Ports.ConnectionString };
        await using var app = await RadarApp.StartAsync(azurite, settings);
        var loaded = await Eventually.WaitForAsync(
            async () =>
            {
                using var response = await app.Client.GetAsync("api/search?q=wlan", Ct);
                return (response.StatusCode, Snapshot: Snapshot(response));
            },
            got => got.StatusCode == HttpStatusCode.OK && got.Snapshot is not null,
            "the instance to load a snapshot");

        await own.DisposeAsync();

        var health = await Eventually.WaitForAsync(
            async () =>
            {
                using var response = await app.Client.GetAsync("api/health", Ct);
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
            },
            got => JsonDocument.Parse(got.Body).RootElement.GetProperty("storage").GetProperty("status").GetString() == "unavailable",
            "health to see storage gone");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var states = JsonDocument.Parse(health.Body).RootElement;
        Assert.Equal("degraded", states.GetProperty("status").GetString());
        Assert.Equal("unavailable", states.GetProperty("storage").GetProperty("tables").GetString());
        Assert.DoesNotContain("127.0.0.1", health.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", health.Body, StringComparison.OrdinalIgnoreCase);

        // The operator sees why; the public routes still answer from the loaded snapshot.
        var admin = await AdminHealthAsync(app);
        Assert.Equal("degraded", admin.GetProperty("status").GetString());
        Assert.Contains("not reachable: ", admin.GetProperty("storage").GetProperty("error").GetString(), StringComparison.Ordinal);
        using var search = await app.Client.GetAsync("api/search?q=wlan&n=after", Ct);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Equal(loaded.Snapshot, Snapshot(search));
    }
}
