using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Measures;
using Radar.Core.News;

namespace Radar.Functions.Tests.Search;

/// <summary>
/// One index document per stored measure, change and news item, whatever the order of the
/// writes: the runner's startup ingests, a reindex, a forced news ingest (which relates items
/// the startup run could not relate yet) — and health counts what is stored.
/// </summary>
public class IndexIdentityTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Startup_ingest_then_reindex_then_forced_news_ingest_leaves_one_document_per_stored_item_and_health_counts_them()
    {
        await using var app = await RadarApp.StartAsync(
            azurite,
            new Dictionary<string, string?>
            {
                ["LocalRunner:RunTimersOnStartup"] = "true",
                ["Radar:Http:CacheSeconds"] = "0",
            },
            settingsFile: Path.Combine(AzuriteFixture.RepoRoot, "local.settings.sample.json"));

        // The startup runs of both ingests: every source fetched, the news stored and indexed.
        await Eventually.WaitForAsync(
            async () => await PublicCountsAsync(app, "sources"),
            counts => counts is { } c && c.GetValueOrDefault("total") >= 6 && c.GetValueOrDefault("neverFetched") == 0,
            "every sample source fetched by the startup ingests", TimeSpan.FromMinutes(2));
        await Eventually.WaitForAsync(
            async () => (await StoredAsync(app)).News > 0 && await SearchTotalAsync(app, "type=news") >= (await StoredAsync(app)).News,
            ok => ok, "the startup news ingest in the index", TimeSpan.FromMinutes(2));

        Assert.Equal(HttpStatusCode.OK, await PostAsync(app, "api/admin/reindex"));
        await Eventually.WaitForAsync(
            () => PostForcedNewsIngestAsync(app),
            ran => ran, "a forced news ingest that was not already running", TimeSpan.FromMinutes(2));

        var stored = await StoredAsync(app);
        var news = await SearchAllAsync(app, "type=news");
        var ids = news.Select(h => h.GetProperty("id").GetString()!).ToList();
        Assert.Equal(stored.News, ids.Count);
        Assert.Empty(ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
        // A news item belongs to the radar of its source, else the default radar: the samples' to Munich.
        Assert.All(news, h => Assert.Equal("muenchen", h.GetProperty("radar").GetString()));
        Assert.Equal(stored.Measures, await SearchTotalAsync(app, "type=measure"));
        Assert.Equal(stored.Changes, await SearchTotalAsync(app, "type=change"));

        // Health counts the stored documents, in public and in the admin details.
        var expected = new Dictionary<string, int> { ["measure"] = stored.Measures, ["news"] = stored.News, ["change"] = stored.Changes };
        var counts = await Eventually.WaitForAsync(
            () => PublicCountsAsync(app, "index"),
            c => c is not null && expected.All(e => c.GetValueOrDefault(e.Key) == e.Value),
            "public health counting the stored documents");
        Assert.Equal(expected.OrderBy(e => e.Key), counts!.OrderBy(e => e.Key));
        var admin = await app.Client.GetFromJsonAsync<JsonElement>("api/admin/health?code=" + RadarApp.FunctionKey, Ct);
        var documents = admin.GetProperty("components").GetProperty("index").GetProperty("replica").GetProperty("documents");
        Assert.All(expected, e => Assert.Equal(e.Value, documents.GetProperty(e.Key).GetInt32()));
    }

    private static async Task<(int Measures, int Changes, int News)> StoredAsync(RadarApp app)
    {
        var store = app.Services.GetRequiredService<MeasureStore>();
        int measures = 0, changes = 0;
        foreach (var radar in await store.ListRadarsAsync(Ct))
        {
            measures += (await store.ListMeasuresAsync(radar.Id, Ct)).Count(m => !m.Removed);
            changes += (await store.GetLatestChangesAsync(radar.Id, int.MaxValue, Ct)).Count;
        }

        var news = 0;
        await foreach (var _ in app.Services.GetRequiredService<NewsStore>().ListAllAsync(Ct))
        {
            news++;
        }

        return (measures, changes, news);
    }

    private static async Task<int> SearchTotalAsync(RadarApp app, string query) =>
        await SearchFixture.CountAsync(app, "api/search?pageSize=1&" + query, Ct);

    private static async Task<List<JsonElement>> SearchAllAsync(RadarApp app, string query)
    {
        var hits = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var answer = await app.Client.GetFromJsonAsync<JsonElement>($"api/search?pageSize=100&page={page}&{query}", Ct);
            var batch = answer.GetProperty("hits").EnumerateArray().ToList();
            hits.AddRange(batch);
            if (batch.Count < 100)
            {
                return hits;
            }
        }
    }

    private static async Task<Dictionary<string, int>?> PublicCountsAsync(RadarApp app, string component)
    {
        using var response = await app.Client.GetAsync("api/health", Ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        var health = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return health.GetProperty("components").TryGetProperty(component, out var state)
               && state.TryGetProperty("counts", out var counts) && counts.ValueKind == JsonValueKind.Object
            ? counts.EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetInt32())
            : null;
    }

    private static async Task<HttpStatusCode> PostAsync(RadarApp app, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await app.Client.SendAsync(request, Ct);
        return response.StatusCode;
    }

    private static async Task<bool> PostForcedNewsIngestAsync(RadarApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/ingest/news?force=true");
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await app.Client.SendAsync(request, Ct);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        // A run that found another one holding the lease says who ("alreadyRunning") and did nothing.
        return response.StatusCode == HttpStatusCode.OK
            && (!report.TryGetProperty("alreadyRunning", out var holder) || holder.ValueKind == JsonValueKind.Null);
    }
}
