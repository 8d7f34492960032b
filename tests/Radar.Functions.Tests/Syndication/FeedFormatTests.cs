using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Radar.Functions.Tests.Syndication;

/// <summary>RSS, Atom and JSON Feed as independent clients read them: Debian's feedparser (what
/// many feed readers build on), jing with RFC 4287's RELAX NG schema, a JSON Schema of JSON Feed 1.1.</summary>
public class FeedFormatTests(FeedSite site) : IClassFixture<FeedSite>
{
    private const string WlanStatus = "Öffentliches WLAN „M-WLAN“: Status von „In Umsetzung“ zu „Umgesetzt“";
    private const string WlanNews = "M-WLAN: 46 neue Hotspots am Marienplatz und in Schwabing";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpResponseMessage Response, byte[] Body)> GetAsync(string url)
    {
        var response = await site.App.Client.GetAsync(url, Ct);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        return (response, body);
    }

    private static List<string> Titles(JsonNode parsed) => [.. parsed["entries"]!.AsArray().Select(e => (string)e!["title"]!)];

    [Fact]
    public async Task Rss_of_one_measure_is_read_by_feedparser_with_its_changes_and_related_news()
    {
        var (response, body) = await GetAsync("api/feed.rss?measure=oeffentliches-wlan");
        var feed = await IndependentClients.FeedparserAsync(body);

        Assert.Equal("application/rss+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.False((bool)feed["bozo"]!, (string?)feed["bozo_exception"]);
        Assert.Equal("rss20", (string?)feed["version"]);
        Assert.Equal("Digitalisierungsradar München – Änderungen zu „Öffentliches WLAN „M-WLAN““", (string?)feed["title"]);
        Assert.Contains(feed["links"]!.AsArray(), l => (string?)l!["rel"] == "self" && (string?)l["href"] == "https://radar.example/api/feed.rss?measure=oeffentliches-wlan");
        Assert.Equal("https://radar.example/massnahmen/oeffentliches-wlan", (string?)feed["link"]);
        Assert.Equal([WlanStatus, WlanNews, "Öffentliches WLAN „M-WLAN“ neu im Radar"], Titles(feed));

        var change = feed["entries"]![0]!;
        Assert.Equal(site.WlanStatusChange, (string?)change["id"]);
        Assert.Equal("https://radar.example/massnahmen/oeffentliches-wlan", (string?)change["link"]);
        Assert.Equal(["Infrastruktur", "Umgesetzt", "WLAN", "Hotspot"], change["tags"]!.AsArray().Select(t => (string)t!).Take(4));
        var published = DateTimeOffset.FromUnixTimeSeconds((long)change["published"]!);
        Assert.InRange(published, site.SecondIngest.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.Contains("Fortschritt 70 % → 100 %", (string?)change["summary"], StringComparison.Ordinal);

        var news = feed["entries"]![1]!;
        Assert.Equal("wlan-hotspots", (string?)news["id"]);
        Assert.Equal("https://news.example/wlan-hotspots?a=1&b=2", (string?)news["link"]);
        Assert.Equal("Stadtportal München", (string?)news["source"]);
        Assert.Contains("<strong>46</strong>", (string?)news["content"]![0], StringComparison.Ordinal);
        Assert.Equal(["WLAN", "Hotspot"], news["tags"]!.AsArray().Select(t => (string)t!));
    }

    [Fact]
    public async Task Atom_is_valid_against_the_RFC_4287_schema_and_read_by_feedparser()
    {
        var (response, body) = await GetAsync("api/feed.atom?limit=100");
        var (exit, messages) = await IndependentClients.JingAsync(body);
        var feed = await IndependentClients.FeedparserAsync(body);

        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.True(exit == 0 && messages.Length == 0, $"jing: {messages}");
        Assert.False((bool)feed["bozo"]!, (string?)feed["bozo_exception"]);
        Assert.Equal("atom10", (string?)feed["version"]);
        Assert.Equal("Digitalisierungsradar München – Änderungen", (string?)feed["title"]);
        var titles = Titles(feed);
        Assert.Equal(48 + 2 + 3, titles.Count);
        Assert.Contains(WlanStatus, titles);
        Assert.Contains("Elektronische Akte (E-Akte) aktualisiert: Fortschritt 65 % → 80 %, Ziele", titles);
        Assert.Contains("Thüringen novelliert E-Government-Gesetz", titles);
        var entries = feed["entries"]!.AsArray();
        Assert.All(entries, e => Assert.StartsWith("tag:radar.example,2026:", (string?)e!["id"], StringComparison.Ordinal));
        Assert.Equal("tag:radar.example,2026:change/" + site.WlanStatusChange, (string?)entries.Single(e => (string?)e!["title"] == WlanStatus)!["id"]);
        var updated = entries.Select(e => (long)e!["updated"]!).ToList();
        Assert.Equal(updated.OrderDescending(), updated);
        Assert.Equal(updated[0], (long)feed["updated"]!);
        Assert.Contains(feed["links"]!.AsArray(), l => (string?)l!["rel"] == "self" && (string?)l["href"] == "https://radar.example/api/feed.atom?limit=100");
    }

    [Fact]
    public async Task Json_Feed_is_valid_JSON_Feed_1_1_with_the_Radar_fields_under_its_extension()
    {
        var (response, body) = await GetAsync("api/feed.json?area=Infrastruktur&limit=100");
        var schema = JsonSchema.FromText(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Schemas", "jsonfeed-1.1.schema.json"), Ct));
        using var document = JsonDocument.Parse(body);
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        var feed = JsonNode.Parse(body)!;

        Assert.Equal("application/feed+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(result.IsValid, JsonSerializer.Serialize(result.Details?.Where(d => d.Errors is not null).Select(d => new { d.InstanceLocation, d.Errors })));
        Assert.Equal("https://jsonfeed.org/version/1.1", (string?)feed["version"]);
        Assert.Equal("Digitalisierungsradar München – Änderungen in Infrastruktur", (string?)feed["title"]);
        var items = feed["items"]!.AsArray();
        Assert.DoesNotContain(items, i => ((string?)i!["title"])!.StartsWith("Elektronische Akte", StringComparison.Ordinal));
        var status = items.Single(i => (string?)i!["title"] == WlanStatus)!;
        Assert.Equal(site.WlanStatusChange, (string?)status["id"]);
        Assert.Equal("status-changed", (string?)status["_radar"]!["change"]!["kind"]);
        Assert.Equal("In Umsetzung", (string?)status["_radar"]!["change"]!["from"]!["label"]);
        Assert.Equal("umgesetzt", (string?)status["_radar"]!["change"]!["to"]!["id"]);
        Assert.Equal("100 %", (string?)status["_radar"]!["change"]!["fields"]!.AsArray().Single(f => (string?)f!["field"] == "progress")!["new"]);
        var news = items.Single(i => (string?)i!["id"] == "wlan-hotspots")!;
        Assert.Contains("<strong>46</strong>", (string?)news["content_html"], StringComparison.Ordinal);
        Assert.Equal("Stadtportal München", (string?)news["_radar"]!["sources"]![0]!["name"]);
        Assert.Equal("https://radar.example/massnahmen/oeffentliches-wlan", (string?)news["_radar"]!["relatedMeasures"]![0]!["url"]);
        // The E-Akte news relates to a measure outside Infrastruktur, the Thuringia news to none.
        Assert.DoesNotContain(items, i => (string?)i!["id"] is "e-akte-kvr" or "thueringen");
    }

    /// <summary>RFC 822 §5 with the zone as a number: a military zone such as <c>Z</c> is read as
    /// "unknown" (RFC 1123 §5.2.14), so a reader might place the date hours off.</summary>
    private static readonly System.Text.RegularExpressions.Regex Rfc822NumericZone = new(
        @"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?<date>\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2}) (?<sign>[+-])(?<hh>\d{2})(?<mm>\d{2})$");

    private static DateTimeOffset ParseRfc822(string value)
    {
        var match = Rfc822NumericZone.Match(value);
        Assert.True(match.Success, $"'{value}' is not an RFC 822 date with a numeric zone");
        var local = DateTime.ParseExact(match.Groups["date"].Value, "dd MMM yyyy HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var offset = new TimeSpan(int.Parse(match.Groups["hh"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups["mm"].Value, System.Globalization.CultureInfo.InvariantCulture), 0);
        return new DateTimeOffset(local, match.Groups["sign"].Value == "-" ? -offset : offset);
    }

    [Fact]
    public async Task Every_RSS_date_is_RFC_822_with_a_numeric_zone_and_the_instant_of_its_entry()
    {
        var (_, rss) = await GetAsync("api/feed.rss?limit=100");
        var (_, json) = await GetAsync("api/feed.json?limit=100");
        var channel = System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(rss)).Root!.Element("channel")!;
        var expected = JsonNode.Parse(json)!["items"]!.AsArray()
            .ToDictionary(i => (string)i!["id"]!, i => DateTimeOffset.Parse((string)i!["date_published"]!, System.Globalization.CultureInfo.InvariantCulture));

        var items = channel.Elements("item").ToList();
        Assert.True(items.Count >= 5, $"{items.Count} items");
        foreach (var item in items)
        {
            var pubDate = Assert.Single(item.Elements("pubDate")).Value;
            // RSS dates have whole seconds.
            Assert.Equal(expected[item.Element("guid")!.Value].ToUnixTimeSeconds(), ParseRfc822(pubDate).ToUnixTimeSeconds());
        }

        var built = ParseRfc822(Assert.Single(channel.Elements("lastBuildDate")).Value);
        Assert.Equal(expected.Values.Max().ToUnixTimeSeconds(), built.ToUnixTimeSeconds());
    }
}
