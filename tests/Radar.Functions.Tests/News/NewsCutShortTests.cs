using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Radar.Core.Ingest;
using Radar.Core.News;
using Radar.Core.Storage;
using Radar.Local.Azurite;

namespace Radar.Functions.Tests.News;

/// <summary>
/// The news ingest cut short by storage going away in the middle of its batches. This test has an
/// Azurite of its own, keeping its data in a folder (<c>--location</c>) on its own ports, so it can
/// stop and start it without touching the other tests' storage.
/// </summary>
public class NewsCutShortTests(AzuriteFixture azurite)
{
    private const int Feeds = 4;
    private const int ItemsPerFeed = 100;
    private static readonly string[] Tags = ["Digitalisierung", "Verwaltung", "Bildung", "Mobilität", "Open Data", "Energie"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_ingest_whose_storage_stops_halfway_then_runs_again_stores_what_a_clean_run_stores_nothing_lost_nothing_doubled()
    {
        var work = Directory.CreateTempSubdirectory("radar-cut-short-");
        var feeds = WriteCorpus(work.FullName);
        var ports = AzuritePorts.Free();
        var location = Path.Combine(work.FullName, "azurite");
        var storage = await AzuriteProcess.StartAsync(AzuriteFixture.RepoRoot, ports, location, NullLogger.Instance, Ct);
        try
        {
            // A clean run into its own prefix: what every run must end with.
            NewsState clean;
            int cleanRows;
            await using (var app = await StartAsync(ports, feeds, work.FullName, observer: null))
            {
                var (status, report) = await PostAsync(app, "api/admin/ingest/news");
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal(Feeds * ItemsPerFeed, report.GetProperty("sources").EnumerateArray().Sum(s => s.GetProperty("read").GetInt32()));
                cleanRows = report.GetProperty("rows").GetInt32();
                clean = await StateAsync(app);
            }

            // The same feeds into another prefix, storage stopped once half of the clean run's rows are committed.
            var stopper = new StopAfterRows(cleanRows / 2, async () => await StopAsync(storage));
            await using (var app = await StartAsync(ports, feeds, work.FullName, stopper))
            {
                await PostAsync(app, "api/admin/ingest/news"); // fails somewhere after the stop: what it answers does not matter
                Assert.True(stopper.Stopped, "storage was stopped during the run");

                storage = await AzuriteProcess.StartAsync(AzuriteFixture.RepoRoot, ports, location, NullLogger.Instance, Ct);
                var cut = await StateAsync(app, searched: false);
                Assert.InRange(cut.Rows, 1, clean.Rows - 1);

                // The cut run's ingest lease runs out (it could not release it), then the ingest again.
                await Eventually.WaitForAsync(
                    () => PostAsync(app, "api/admin/ingest/news"),
                    answer => answer.Status == HttpStatusCode.OK,
                    "a news ingest once the cut-short run's lease has expired",
                    TimeSpan.FromMinutes(2),
                    TimeSpan.FromSeconds(1));
                var after = await StateAsync(app);

                Assert.Equal(clean.Stories, after.Stories);
                Assert.Equal(clean.Keys, after.Keys);
                Assert.Equal(clean.Claims, after.Claims);
                Assert.Equal(clean.Listings, after.Listings);
                Assert.Equal(clean.Listed, after.Listed);
                Assert.Equal(clean.Searchable, after.Searchable);
                Assert.Equal(Feeds * ItemsPerFeed, after.Keys.Count);
            }
        }
        finally
        {
            await storage.DisposeAsync();
            work.Delete(recursive: true);
        }
    }

    /// <summary>What a run leaves, independent of which of two sources carrying one story was
    /// written first (feeds are written in the order their parsing ends): per story its link, the
    /// keys that reached it (the item's and its aliases'), its sources, title and tags; every key's
    /// dedupe row; link claims; listing rows per partition by link; the public listing and the
    /// search index by link.</summary>
    private sealed record NewsState(
        int Rows,
        List<string> Stories,
        List<string> Keys,
        List<string> Claims,
        List<string> Listings,
        List<string> Listed,
        List<string> Searchable);

    private static async Task<NewsState> StateAsync(RadarApp app, bool searched = true)
    {
        var storage = app.Services.GetRequiredService<RadarStorage>();
        async Task<List<TableEntity>> RowsAsync(string table)
        {
            var client = storage.TableService.GetTableClient(storage.TableName(table));
            var rows = new List<TableEntity>();
            await foreach (var row in client.QueryAsync<TableEntity>(cancellationToken: Ct))
            {
                rows.Add(row);
            }

            return rows;
        }

        var records = (await RowsAsync(NewsStore.ItemsTable)).Where(r => r.PartitionKey != "state").ToList();
        var keys = await RowsAsync(NewsStore.KeysTable);
        var claims = await RowsAsync(NewsStore.ClaimsTable);
        var index = await RowsAsync(NewsStore.IndexTable);

        var items = records.Where(r => r.GetString("Kind") == "item").ToDictionary(r => r.RowKey);
        var aliases = records.Where(r => r.GetString("Kind") == "alias").ToLookup(r => r.GetString("Target"));
        var stories = items.Values.Select(r =>
        {
            var reached = aliases[r.RowKey].Select(a => a.RowKey).Append(r.RowKey).Order(StringComparer.Ordinal);
            var sources = JsonDocument.Parse(r.GetString("Sources")!).RootElement.EnumerateArray()
                .Select(s => s.GetProperty("id").GetString()).Order(StringComparer.Ordinal);
            return $"{r.GetString("Link")} keys {string.Join(",", reached)} sources {string.Join(",", sources)} title {r.GetString("Title")} tags {r.GetString("Tags")}";
        }).Order(StringComparer.Ordinal).ToList();
        var linkOfKey = items.Values.ToDictionary(r => r.RowKey, r => r.GetString("Link"));

        var listed = new List<string>();
        for (var page = 1; ; page++)
        {
            var answer = await app.Client.GetFromJsonAsync<JsonElement>($"api/news?pageSize=100&page={page}", Ct);
            var batch = answer.GetProperty("items").EnumerateArray().ToList();
            listed.AddRange(batch.Select(i => i.GetProperty("link").GetString()!));
            if (!answer.GetProperty("hasMore").GetBoolean())
            {
                break;
            }
        }

        // The index follows the tables once this instance has loaded the run's snapshot (not
        // after a run cut short: that one never told the index).
        var searchable = !searched ? [] : await Eventually.WaitForAsync(
            () => SearchNewsAsync(app),
            ids => ids.Count == items.Count,
            "the search index to hold every stored news item",
            TimeSpan.FromMinutes(1));

        return new NewsState(
            records.Count + keys.Count + claims.Count + index.Count,
            stories,
            [.. keys.Select(k => $"{k.PartitionKey}/{k.RowKey}").Order(StringComparer.Ordinal)],
            [.. claims.Select(c => $"{c.RowKey} {linkOfKey.GetValueOrDefault(c.GetString("Target") ?? "", "(no item)")}").Order(StringComparer.Ordinal)],
            [.. index.Select(r => $"{r.PartitionKey} {r.RowKey[..19]} {r.GetString("Link")}").Order(StringComparer.Ordinal)],
            listed,
            [.. searchable.Select(id => linkOfKey.GetValueOrDefault(id, "(no item) " + id)!).Order(StringComparer.Ordinal)]);
    }

    private static async Task<List<string>> SearchNewsAsync(RadarApp app)
    {
        var ids = new List<string>();
        for (var page = 1; ; page++)
        {
            var answer = await app.Client.GetFromJsonAsync<JsonElement>($"api/search?type=news&pageSize=100&page={page}", Ct);
            var batch = answer.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()!).ToList();
            ids.AddRange(batch);
            if (batch.Count < 100)
            {
                return ids;
            }
        }
    }

    private async Task<RadarApp> StartAsync(AzuritePorts ports, List<string> feeds, string work, INewsBatchObserver? observer)
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = ports.ConnectionString,
            ["Radar:Http:CacheSeconds"] = "0",
            ["Radar:Search:RefreshInterval"] = "00:00:01",
            ["Radar:Search:IndexPath"] = Directory.CreateDirectory(Path.Combine(work, "index-" + Guid.NewGuid().ToString("N")[..8])).FullName,
        };
        for (var i = 0; i < feeds.Count; i++)
        {
            settings[$"Radar:Sources:{i}:Id"] = $"quelle-{i}";
            settings[$"Radar:Sources:{i}:Url"] = "file:" + feeds[i];
            settings[$"Radar:Sources:{i}:Kind"] = "news";
        }

        return await RadarApp.StartAsync(azurite, settings, configureServices: services =>
        {
            // A lease the stopped run could not release runs out in 15 s (the shortest blob lease).
            services.Configure<IngestLeaseOptions>(o => o.Duration = TimeSpan.FromSeconds(15));
            if (observer is not null)
            {
                services.AddSingleton(observer);
            }
        });
    }

    /// <summary>Stops Azurite as an operator would (SIGTERM: it saves its data and exits) and waits until it is gone.</summary>
    private static async Task StopAsync(AzuriteProcess storage)
    {
        using var process = Process.GetProcessById(storage.ProcessId);
        using (var kill = Process.Start("kill", ["-TERM", storage.ProcessId.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(Ct);
        }

        using var grace = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        grace.CancelAfter(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(grace.Token);
        await storage.DisposeAsync();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(RadarApp app, string url)
    {
        // A run on a busy machine may take longer than the app client's minute.
        using var client = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>Feeds of <see cref="ItemsPerFeed"/> items over about three months each; every tenth
    /// item of an odd-numbered feed is the same story as the one of the feed before it (same
    /// link, title and text, its own guid).</summary>
    private static List<string> WriteCorpus(string folder)
    {
        var start = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var paths = new List<string>();
        for (var f = 0; f < Feeds; f++)
        {
            var rss = new StringBuilder($"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Quelle {f}</title><link>https://quelle-{f}.example/</link><language>de</language>\n");
            for (var i = 0; i < ItemsPerFeed; i++)
            {
                var shared = f % 2 == 1 && i % 10 == 0;
                var (story, n) = shared ? (f - 1, i) : (f, i);
                var title = SecurityElement.Escape($"Meldung {n} aus Quelle {story}: Neue Onlinedienste im Bürgerbüro");
                rss.Append(CultureInfo.InvariantCulture,
                    $"<item><title>{title}</title><link>https://quelle-{story}.example/artikel/{n}</link><guid isPermaLink=\"false\">q{f}-{i}</guid>")
                    .Append(CultureInfo.InvariantCulture, $"<pubDate>{(start - TimeSpan.FromHours(17 * n) - TimeSpan.FromMinutes(story)).ToString("r", CultureInfo.InvariantCulture)}</pubDate>")
                    .Append(CultureInfo.InvariantCulture, $"<category>{SecurityElement.Escape(Tags[(story + n) % Tags.Length])}</category>");
                if (n % 3 == 0)
                {
                    rss.Append(CultureInfo.InvariantCulture, $"<category>{SecurityElement.Escape(Tags[(story + 2 * n + 1) % Tags.Length])}</category>");
                }

                rss.Append(CultureInfo.InvariantCulture, $"<description>{title}. Die Stadt teilt mit, dass das Vorhaben {n} planmäßig vorankommt.</description></item>\n");
            }

            rss.Append("</channel></rss>\n");
            var path = Path.Combine(folder, $"quelle-{f}.rss");
            File.WriteAllText(path, rss.ToString());
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>Stops storage from inside the writer, right after the transaction that brings the
    /// run's committed rows to <paramref name="rows"/>: a known point in the middle of the batches.</summary>
    private sealed class StopAfterRows(int rows, Func<Task> stop) : INewsBatchObserver
    {
        private int _committed;
        private int _stopped;

        public bool Stopped => Volatile.Read(ref _stopped) == 1;

        public async ValueTask BatchCommittedAsync(NewsBatchCommitted batch, CancellationToken cancellationToken)
        {
            if (Interlocked.Add(ref _committed, batch.Entities) >= rows && Interlocked.Exchange(ref _stopped, 1) == 0)
            {
                await stop();
            }
        }
    }
}
