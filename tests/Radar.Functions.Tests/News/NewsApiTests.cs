using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.News;

namespace Radar.Functions.Tests.News;

/// <summary><c>GET /api/news</c> over real HTTP, with items written through the real store.</summary>
public class NewsApiTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly NewsSourceRef Portal = new("stadtportal-muenchen", "Stadtportal München");
    private static readonly NewsSourceRef Kommunal = new("kommunal-digital", "Kommunal Digital");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static NewsItem Item(string key, string title, int hoursAgo, NewsSourceRef source, params string[] tags) => new()
    {
        Key = key,
        Title = title,
        Link = $"https://x.example/{key}",
        Published = Now.AddHours(-hoursAgo),
        Summary = $"Über {title}",
        ContentHtml = $"<p>{title}</p>",
        Tags = tags,
        Language = "de",
        Sources = [source],
    };

    private static async Task<RadarApp> StartWithItemsAsync(AzuriteFixture azurite, params NewsItem[] items)
    {
        var app = await RadarApp.StartAsync(azurite);
        var store = app.Services.GetRequiredService<CrossSourceDedupe>();
        foreach (var item in items)
        {
            await store.StoreAsync(item, Ct);
        }

        await app.PublishStoredNewsAsync(Ct);
        return app;
    }

    private static async Task<JsonElement> GetJsonAsync(RadarApp app, string url)
    {
        var response = await app.Client.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static List<string> Titles(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!)];

    [Fact]
    public async Task Lists_the_latest_items_newest_first_with_their_fields()
    {
        await using var app = await StartWithItemsAsync(azurite,
            Item("a", "E-Akte im Kreisverwaltungsreferat", 5, Portal, "E-Akte"),
            Item("b", "Öffentliches WLAN: 46 neue Hotspots", 1, Portal, "WLAN", "Infrastruktur"),
            Item("c", "Thüringen novelliert E-Government-Gesetz", 3, Kommunal, "Thüringen"));

        var page = await GetJsonAsync(app, "api/news");

        Assert.Equal(["Öffentliches WLAN: 46 neue Hotspots", "Thüringen novelliert E-Government-Gesetz", "E-Akte im Kreisverwaltungsreferat"], Titles(page));
        Assert.Equal((1, 20, false), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32(), page.GetProperty("hasMore").GetBoolean()));
        var first = page.GetProperty("items")[0];
        Assert.Equal("2026-11-28T11:00:00Z", first.GetProperty("published").GetString());
        Assert.Equal("published", first.GetProperty("publishedFrom").GetString());
        Assert.Equal("https://x.example/b", first.GetProperty("link").GetString());
        Assert.Equal("Über Öffentliches WLAN: 46 neue Hotspots", first.GetProperty("summary").GetString());
        Assert.Equal(["WLAN", "Infrastruktur"], first.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("Stadtportal München", first.GetProperty("sources")[0].GetProperty("name").GetString());
        Assert.Equal(0, first.GetProperty("relatedMeasures").GetArrayLength());
        Assert.False(first.TryGetProperty("contentHtml", out _));
    }

    [Fact]
    public async Task Pages_through_the_items()
    {
        await using var app = await StartWithItemsAsync(azurite,
            [.. Enumerable.Range(1, 5).Select(i => Item($"k{i}", $"Meldung {i}", i, Portal))]);

        var page1 = await GetJsonAsync(app, "api/news?pageSize=2");
        var page2 = await GetJsonAsync(app, "api/news?page=2&pageSize=2");
        var page3 = await GetJsonAsync(app, "api/news?page=3&pageSize=2");
        var beyond = await GetJsonAsync(app, "api/news?page=9&pageSize=2");

        Assert.Equal(["Meldung 1", "Meldung 2"], Titles(page1));
        Assert.True(page1.GetProperty("hasMore").GetBoolean());
        Assert.Equal(["Meldung 3", "Meldung 4"], Titles(page2));
        Assert.True(page2.GetProperty("hasMore").GetBoolean());
        Assert.Equal(["Meldung 5"], Titles(page3));
        Assert.False(page3.GetProperty("hasMore").GetBoolean());
        Assert.Empty(Titles(beyond));
    }

    [Fact]
    public async Task Filters_by_source_and_by_tag()
    {
        await using var app = await StartWithItemsAsync(azurite,
            Item("a", "WLAN am Marienplatz", 1, Portal, "WLAN", "München"),
            Item("b", "WLAN in Köln", 2, Kommunal, "wlan"),
            Item("c", "E-Akte", 3, Portal, "E-Akte"));

        Assert.Equal(["WLAN am Marienplatz", "E-Akte"], Titles(await GetJsonAsync(app, "api/news?source=stadtportal-muenchen")));
        Assert.Equal(["WLAN am Marienplatz", "WLAN in Köln"], Titles(await GetJsonAsync(app, "api/news?tag=WLAN")));
        Assert.Equal(["WLAN am Marienplatz"], Titles(await GetJsonAsync(app, "api/news?tag=M%C3%BCnchen")));
        Assert.Equal(["WLAN in Köln"], Titles(await GetJsonAsync(app, "api/news?tag=wlan&source=kommunal-digital")));
        var filtered = await GetJsonAsync(app, "api/news?tag=E-Akte&source=stadtportal-muenchen");
        Assert.Equal(("E-Akte", "stadtportal-muenchen"), (filtered.GetProperty("tag").GetString(), filtered.GetProperty("source").GetString()));
        Assert.Empty(Titles(await GetJsonAsync(app, "api/news?source=unbekannt")));
    }

    [Theory]
    [InlineData("api/news?page=0", "page")]
    [InlineData("api/news?page=abc", "page")]
    [InlineData("api/news?page=-1", "page")]
    [InlineData("api/news?page=1001", "page")]
    [InlineData("api/news?pageSize=101", "pageSize")]
    [InlineData("api/news?pageSize=0", "pageSize")]
    [InlineData("api/news?pageSize=1e3", "pageSize")]
    [InlineData("api/news?source=nicht%20g%C3%BCltig", "source")]
    [InlineData("api/news?tag=%01", "tag")]
    [InlineData("api/news?page=1&page=2", "page")]
    public async Task Bad_parameters_are_a_400_problem_that_names_the_parameter(string url, string parameter)
    {
        await using var app = await RadarApp.StartAsync(azurite);

        var response = await app.Client.GetAsync(url, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(parameter, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(parameter, problem.GetProperty("errors").EnumerateArray().Single().GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task A_very_long_tag_is_a_400_not_a_500()
    {
        await using var app = await RadarApp.StartAsync(azurite);

        var response = await app.Client.GetAsync("api/news?tag=" + new string('x', 5000), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_sample_feeds_imported_through_the_app_list_with_umlauts_and_dates()
    {
        await using var app = await RadarApp.StartAsync(azurite);
        var importer = app.Services.GetRequiredService<NewsFeedImporter>();
        var samples = Path.Combine(AzuriteFixture.RepoRoot, "samples", "news");
        var rss = new FeedPayload(
            await File.ReadAllBytesAsync(Path.Combine(samples, "kommunal-digital.rss"), Ct),
            "application/rss+xml",
            new Uri("https://www.kommunal-digital.example/feed.rss"));

        var report = await importer.ImportAsync(new NewsSourceInfo("kommunal-digital", "Kommunal Digital"), rss, Ct);
        await app.PublishStoredNewsAsync(Ct);
        var page = await GetJsonAsync(app, "api/news?source=kommunal-digital&pageSize=100");

        Assert.Equal(12, report.New);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(12, items.Count);
        var duesseldorf = items.Single(i => i.GetProperty("title").GetString() == "Düsseldorf: Digitalstrategie neu ausgerichtet");
        Assert.Equal("2026-04-23T08:15:00Z", duesseldorf.GetProperty("published").GetString());
        Assert.Equal("de-DE", duesseldorf.GetProperty("language").GetString());
        Assert.Contains(items, i => i.GetProperty("title").GetString() == "Nürnberg: Bürgerämter führen die elektronische Akte ein");
    }
}
