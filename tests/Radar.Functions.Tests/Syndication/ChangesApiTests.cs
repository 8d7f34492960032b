using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Radar.Functions.Tests.Syndication;

/// <summary><c>GET /api/changes</c> and the feed filters: what a saved search selects, and the
/// clear errors a wrong one gets.</summary>
public class ChangesApiTests(FeedSite site) : IClassFixture<FeedSite>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> ChangesAsync(string query)
    {
        using var response = await site.App.Client.GetAsync("api/changes" + query, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static List<string> Ids(JsonElement answer) =>
        [.. answer.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];

    [Fact]
    public async Task Lists_changes_and_news_newest_first_with_what_happened_in_German()
    {
        var answer = await ChangesAsync("?limit=5");

        var items = answer.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        Assert.Equal("Digitalisierungsradar München – Änderungen", answer.GetProperty("title").GetString());
        Assert.Equal("https://radar.example/api/feed.rss?limit=5", answer.GetProperty("feed").GetString());
        // The second ingest's two changes, then the three news items (newest first).
        Assert.Equal(["change", "change", "news", "news", "news"], items.Select(i => i.GetProperty("type").GetString()));
        Assert.Equal(["thueringen", "e-akte-kvr", "wlan-hotspots"], Ids(answer)[2..]);
        var dates = items.Select(i => i.GetProperty("date").GetDateTimeOffset()).ToList();
        Assert.Equal(dates.OrderDescending(), dates);
        var akte = items.Single(i => i.GetProperty("id").GetString() == site.AkteUpdate);
        Assert.Equal("Elektronische Akte (E-Akte) aktualisiert: Fortschritt 65 % → 80 %, Ziele", akte.GetProperty("title").GetString());
        Assert.Equal("/massnahmen/elektronische-akte", akte.GetProperty("url").GetString());
        Assert.Equal("updated", akte.GetProperty("change").GetProperty("kind").GetString());
        Assert.Equal("Stadtverwaltung", akte.GetProperty("categories")[0].GetProperty("label").GetString());
        var news = items.Single(i => i.GetProperty("id").GetString() == "thueringen");
        Assert.Equal("Kommunal Digital", news.GetProperty("news").GetProperty("sources")[0].GetProperty("name").GetString());
        Assert.Equal("<p>Ein Gesetz aus Erfurt.</p>", news.GetProperty("contentHtml").GetString());
    }

    [Fact]
    public async Task Filters_select_what_a_saved_search_asks_for()
    {
        var newsOnly = Ids(await ChangesAsync("?type=news"));
        var changesOnly = await ChangesAsync("?type=change&limit=100");
        var infrastructure = Ids(await ChangesAsync("?area=infrastruktur&limit=100"));
        var done = Ids(await ChangesAsync("?status=Umgesetzt&limit=100"));
        var itReferat = Ids(await ChangesAsync("?department=it-referat&type=change&limit=100"));
        var wlanTag = Ids(await ChangesAsync("?tag=WLAN"));
        var akte = Ids(await ChangesAsync("?measure=elektronische-akte"));
        var one = Ids(await ChangesAsync("?pageSize=1"));
        var muster = await ChangesAsync("?radar=muenchen&area=stadtverwaltung&status=in-umsetzung");

        Assert.Equal(["thueringen", "e-akte-kvr", "wlan-hotspots"], newsOnly);
        Assert.Equal(50, changesOnly.GetProperty("items").GetArrayLength());
        Assert.Equal("Digitalisierungsradar München – Änderungen an Maßnahmen", changesOnly.GetProperty("title").GetString());
        // The sample is the 2024 edition: its changes are named after it; the second ingest's
        // after when they were seen.
        Assert.Contains(site.WlanStatusChange, infrastructure);
        Assert.Contains("wlan-hotspots", infrastructure);
        Assert.DoesNotContain(site.AkteUpdate, infrastructure);
        Assert.DoesNotContain("thueringen", infrastructure);
        Assert.Equal(16 + 1 + 1, infrastructure.Count);
        Assert.Contains(site.WlanStatusChange, done);
        Assert.DoesNotContain("muenchen:oeffentliches-wlan:2024", done);
        Assert.Contains("muenchen:oeffentliches-wlan:2024", itReferat);
        Assert.DoesNotContain("muenchen:handyparken:2024", itReferat);
        Assert.Equal([site.WlanStatusChange, "wlan-hotspots"], wlanTag[..2]);
        Assert.Contains("muenchen:oeffentliches-wlan:2024", wlanTag);
        Assert.DoesNotContain("muenchen:elektronische-akte:2024", wlanTag);
        Assert.Equal([site.AkteUpdate, "e-akte-kvr", "muenchen:elektronische-akte:2024"], akte);
        Assert.Single(one);
        Assert.Equal("Digitalisierungsradar München – Änderungen in Stadtverwaltung, Status „In Umsetzung“", muster.GetProperty("title").GetString());
        Assert.Contains(site.AkteUpdate, Ids(muster));
        Assert.Contains("e-akte-kvr", Ids(muster));
    }

    [Theory]
    [InlineData("api/changes?type=measure", 400, "type must be 'change' or 'news'")]
    [InlineData("api/feed.rss?limit=101", 400, "limit (or pageSize) must be a whole number from 1 to 100")]
    [InlineData("api/feed.atom?limit=zehn", 400, "limit (or pageSize)")]
    [InlineData("api/feed.json?from=gestern", 400, "from must be a date")]
    [InlineData("api/changes?q=a&q=b", 400, "Give 'q' once.")]
    [InlineData("api/changes?area=Mond", 400, "There is no area 'Mond' on radar 'muenchen'. Known: stadtgesellschaft, stadtverwaltung, infrastruktur.")]
    [InlineData("api/feed.rss?measure=gibt-es-nicht", 404, "There is no measure 'gibt-es-nicht'")]
    [InlineData("api/feed.rss?measure=Nicht%20g%C3%BCltig", 400, "measure must be one measure id")]
    [InlineData("api/feed.rss?radar=atlantis", 404, "There is no radar 'atlantis'.")]
    public async Task A_wrong_feed_query_is_a_problem_that_says_what_to_change(string url, int status, string message)
    {
        using var response = await site.App.Client.GetAsync(url, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(message, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
        if (status == 503)
        {
            Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.RetryAfter?.Delta);
        }
    }
}
