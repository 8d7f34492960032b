using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Radar.Core.News;
using Radar.Functions.Tests.Syndication;
using Radar.Local.Azurite;

namespace Radar.Functions.Tests.ReadModel;

/// <summary>
/// Every public GET answers from the snapshot this instance loaded, so Table storage going away
/// does not take the site with it. This test stops storage, so it runs on an Azurite of its own
/// (data on disk in a temporary folder, its own ports) — the assembly's shared one keeps its
/// data in memory and serves every other test.
/// </summary>
public sealed class StorageDownTests(AzuriteFixture shared)
{
    private static readonly string[] Routes =
    [
        "api/radar",
        "api/measures/oeffentliches-wlan",
        "api/news",
        "api/feed.rss",
        "",
        "massnahmen/oeffentliches-wlan",
    ];

    [Fact]
    public async Task Public_routes_and_pages_answer_from_the_loaded_snapshot_while_storage_is_down_and_keep_working_once_it_is_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("radar-storage-down-").FullName;
        var ports = AzuritePorts.Free();
        var azurite = await AzuriteProcess.StartAsync(AzuriteFixture.RepoRoot, ports, folder, NullLogger.Instance, ct);
        try
        {
            var file = FeedSite.CopySample();
            var settings = FeedSite.Settings(file);
            settings["AzureWebJobsStorage"] = ports.ConnectionString;
            settings["Radar:Search:RefreshInterval"] = "00:00:00.5";
            await using var app = await RadarApp.StartAsync(shared, settings);
            await FeedSite.IngestAsync(app);
            await StoreNewsAsync(app, "hotspots", "M-WLAN: neue Hotspots am Marienplatz", ct);

            var before = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var route in Routes)
            {
                before[route] = await GetOkAsync(app, route, ct);
            }

            Assert.Contains("M-WLAN: neue Hotspots", before["api/news"], StringComparison.Ordinal);

            // Azurite keeps its metadata in memory and saves it to its folder every 5 s when it has
            // changed (LokiJS autosave), and stopping it does not save: one more table and blob
            // write after everything else, then wait until both databases were saved after it, so
            // the restarted Azurite has all of it.
            var written = DateTime.UtcNow;
            await new TableServiceClient(ports.ConnectionString).GetTableClient("marker").CreateIfNotExistsAsync(ct);
            var markers = new BlobServiceClient(ports.ConnectionString).GetBlobContainerClient("marker");
            await markers.CreateIfNotExistsAsync(cancellationToken: ct);
            await markers.UploadBlobAsync("saved", BinaryData.FromString("saved"), ct);
            await Eventually.WaitForAsync(
                () => Task.FromResult(new[] { "__azurite_db_table__.json", "__azurite_db_blob__.json", "__azurite_db_blob_extent__.json" }
                    .All(name => File.Exists(Path.Combine(folder, name)) && File.GetLastWriteTimeUtc(Path.Combine(folder, name)) > written)),
                saved => saved,
                "Azurite to save its tables and blobs to its folder",
                TimeSpan.FromSeconds(60));

            // Storage goes away: the runner cannot reach a table or a blob any more.
            await azurite.DisposeAsync();
            Assert.False(await AzuriteProcess.IsListeningAsync(ports.Table, ct));
            Assert.False(await AzuriteProcess.IsListeningAsync(ports.Blob, ct));
            using (var health = await app.Client.GetAsync("api/health", ct))
            {
                // Storage is down but a snapshot is loaded: the site is up, degraded.
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                Assert.Contains("\"degraded\"", await health.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
            }

            foreach (var route in Routes)
            {
                var body = await GetOkAsync(app, route, ct);
                if (route.StartsWith("api/", StringComparison.Ordinal))
                {
                    // The same data as before storage went away (answers are built per request here).
                    Assert.Equal(before[route], body);
                }
            }

            var page = await GetOkAsync(app, "massnahmen/oeffentliches-wlan", ct);
            Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("WLAN", page, StringComparison.Ordinal);
            var radar = JsonNode.Parse(await GetOkAsync(app, "api/radar", ct))!;
            Assert.Equal(48, radar["measures"]!.AsArray().Count);

            // Storage is back (same data, same ports): writes work again and show on the routes.
            azurite = await AzuriteProcess.StartAsync(AzuriteFixture.RepoRoot, ports, folder, NullLogger.Instance, ct);
            await Eventually.WaitForAsync(
                async () =>
                {
                    using var health = await app.Client.GetAsync("api/health", ct);
                    return health.StatusCode;
                },
                status => status == HttpStatusCode.OK,
                "health to be ok once storage is back",
                TimeSpan.FromSeconds(60));
            await FeedSite.EditAsync(file, measures => measures.Single(m => (string?)m!["id"] == "oeffentliches-wlan")!["status"] = "umgesetzt");
            await Eventually.WaitForAsync(
                () => IngestAsync(app, ct),
                status => status == HttpStatusCode.OK,
                "a measures ingest to succeed once storage is back",
                TimeSpan.FromSeconds(60));
            var measure = JsonNode.Parse(await GetOkAsync(app, "api/measures/oeffentliches-wlan", ct))!;
            Assert.Equal("umgesetzt", (string?)measure["measure"]!["status"]);
            foreach (var route in Routes)
            {
                await GetOkAsync(app, route, ct);
            }
        }
        finally
        {
            await azurite.DisposeAsync();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<HttpStatusCode> IngestAsync(RadarApp app, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/ingest/measures");
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await app.Client.SendAsync(request, ct);
        return response.StatusCode;
    }

    private static async Task<string> GetOkAsync(RadarApp app, string route, CancellationToken ct)
    {
        using var response = await app.Client.GetAsync(route, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /{route}: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
        if (route.Length == 0 || route.StartsWith("massnahmen/", StringComparison.Ordinal))
        {
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }

        return body;
    }

    // A news item as the news ingest stores it and tells the index.
    private static async Task StoreNewsAsync(RadarApp app, string key, string title, CancellationToken ct)
    {
        var item = new NewsItem
        {
            Key = key,
            Title = title,
            Link = "https://news.example/" + key,
            Published = DateTimeOffset.UtcNow,
            Summary = title,
            Sources = [FeedSite.Portal],
            RelatedMeasures = ["oeffentliches-wlan"],
        };
        await app.Services.GetRequiredService<CrossSourceDedupe>().StoreAsync(item, ct);
        await app.PublishStoredNewsAsync(ct);
    }
}
