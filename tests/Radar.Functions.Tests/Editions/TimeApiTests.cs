using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Radar.Functions.Tests.Editions;

/// <summary>
/// The time routes over real HTTP against Munich's five sample editions: the radar as of an
/// edition or a date, the list of editions, the difference between two moments, one measure
/// then; every bad input a problem naming its parameter; and the changes feeds telling each
/// edition as one entry while filtered feeds keep the per-measure changes.
/// </summary>
public class TimeApiTests(EditionsSite site) : IClassFixture<EditionsSite>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The measures of a sample edition as the file has them (id → measure).</summary>
    private static Dictionary<string, JsonNode> Sample(string edition)
    {
        var file = edition == "2024"
            ? Path.Combine(AzuriteFixture.RepoRoot, "samples", "measures", "muenchen.json")
            : Path.Combine(AzuriteFixture.RepoRoot, "samples", "measures", "muenchen-editions", edition + ".json");
        return JsonNode.Parse(File.ReadAllText(file))!["measures"]!.AsArray().ToDictionary(m => (string)m!["id"]!, m => m!);
    }

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await site.App.Client.GetAsync(url, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static List<string> Ids(JsonElement list) => [.. list.EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];

    [Fact]
    public async Task Editions_are_listed_newest_first_with_what_each_changed()
    {
        var answer = await GetJsonAsync("api/radar/editions");

        Assert.Equal("muenchen", answer.GetProperty("radar").GetProperty("id").GetString());
        Assert.Equal(EditionsSite.Editions.Reverse(), Ids(answer.GetProperty("editions")));
        var newest = answer.GetProperty("editions")[0];
        Assert.Equal("Digitalisierungsbericht 2024", newest.GetProperty("title").GetString());
        Assert.Equal("2024-07-18", newest.GetProperty("published").GetString());
        Assert.Equal(Sample("2024").Count, newest.GetProperty("counts").GetProperty("measures").GetInt32());
        Assert.Equal(Sample("2024").Keys.Except(Sample("2023").Keys).Count(),
            newest.GetProperty("counts").GetProperty("created").GetInt32() + newest.GetProperty("counts").GetProperty("restored").GetInt32());

        var muster = await GetJsonAsync("api/radar/editions?radar=musterstadt");
        Assert.Equal(0, muster.GetProperty("editions").GetArrayLength());
    }

    [Theory]
    [InlineData("2020")]
    [InlineData("2022")]
    [InlineData("2024")]
    public async Task The_radar_as_of_an_edition_is_that_edition_measure_by_measure(string edition)
    {
        var answer = await GetJsonAsync("api/radar?edition=" + edition);
        var sample = Sample(edition);

        Assert.Equal(edition, answer.GetProperty("edition").GetProperty("id").GetString());
        Assert.Equal(edition, answer.GetProperty("at").GetProperty("edition").GetString());
        var measures = answer.GetProperty("measures").EnumerateArray().ToList();
        Assert.Equal(sample.Keys.Order(StringComparer.Ordinal), measures.Select(m => m.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(measures, m => Assert.Equal((string)sample[m.GetProperty("id").GetString()!]["status"]!, m.GetProperty("status").GetString()));
        Assert.Equal(sample.Count, answer.GetProperty("totals").GetProperty("measures").GetInt32());
        var index = Array.IndexOf(EditionsSite.Editions, edition);
        // new/moved compare with the edition before (the first edition with itself).
        Assert.Equal(EditionsSite.Editions[Math.Max(index - 1, 0)], answer.GetProperty("baseline").GetProperty("id").GetString());
        if (index > 0)
        {
            var before = Sample(EditionsSite.Editions[index - 1]);
            var moved = measures.Where(m => m.GetProperty("moved").GetBoolean()).Select(m => m.GetProperty("id").GetString()!).Order(StringComparer.Ordinal);
            Assert.Equal(
                sample.Where(m => before.TryGetValue(m.Key, out var b) && (string?)b["status"] != (string?)m.Value["status"]).Select(m => m.Key).Order(StringComparer.Ordinal),
                moved);
        }
    }

    [Fact]
    public async Task The_radar_as_of_a_date_is_the_newest_edition_not_after_that_day()
    {
        var answer = await GetJsonAsync("api/radar?asOf=2022-12-31");
        var dayBefore = await GetJsonAsync("api/radar?asOf=2022-07-20");

        Assert.Equal("2022-12-31", answer.GetProperty("at").GetProperty("date").GetString());
        Assert.Equal("2022", answer.GetProperty("edition").GetProperty("id").GetString());
        Assert.Equal(Sample("2022").Keys.Order(StringComparer.Ordinal), Ids(answer.GetProperty("measures")).Order(StringComparer.Ordinal));
        // 2022 was published on 21 July: the day before, the radar stood as in 2021.
        Assert.Equal("2021", dayBefore.GetProperty("edition").GetProperty("id").GetString());
        Assert.Equal(Sample("2021").Keys.Order(StringComparer.Ordinal), Ids(dayBefore.GetProperty("measures")).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("2020", "2024")]
    [InlineData("2021", "2023-01-01")]
    public async Task The_diff_lists_additions_removals_and_status_moves_between_two_moments(string from, string to)
    {
        var answer = await GetJsonAsync($"api/radar/diff?from={from}&to={to}");
        var before = Sample(from);
        var after = Sample(to.Length == 4 ? to : "2022");

        Assert.Equal(
            after.Keys.Except(before.Keys).Order(StringComparer.Ordinal),
            Ids(answer.GetProperty("added")).Concat(Ids(answer.GetProperty("restored"))).Order(StringComparer.Ordinal));
        Assert.Equal(before.Keys.Except(after.Keys).Order(StringComparer.Ordinal), Ids(answer.GetProperty("removed")).Order(StringComparer.Ordinal));
        var moves = answer.GetProperty("statusMoved").EnumerateArray()
            .ToDictionary(m => m.GetProperty("id").GetString()!, m => (m.GetProperty("from").GetString(), m.GetProperty("to").GetString()));
        var expected = after.Keys.Intersect(before.Keys)
            .Where(id => (string?)before[id]["status"] != (string?)after[id]["status"])
            .ToDictionary(id => id, id => ((string?)before[id]["status"], (string?)after[id]["status"]));
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), moves.OrderBy(e => e.Key, StringComparer.Ordinal));
        var totals = answer.GetProperty("totals");
        Assert.Equal(before.Count, totals.GetProperty("measuresFrom").GetInt32());
        Assert.Equal(after.Count, totals.GetProperty("measuresTo").GetInt32());
        Assert.Equal(expected.Count, totals.GetProperty("statusMoved").GetInt32());
    }

    [Fact]
    public async Task The_diff_of_a_moment_with_itself_is_empty()
    {
        var answer = await GetJsonAsync("api/radar/diff?from=2022&to=2022");

        foreach (var list in new[] { "added", "removed", "restored", "statusMoved", "progress", "kpis" })
        {
            Assert.Equal(0, answer.GetProperty(list).GetArrayLength());
        }

        Assert.Equal(Sample("2022").Count, answer.GetProperty("totals").GetProperty("measuresTo").GetInt32());
    }

    [Fact]
    public async Task A_measure_as_of_a_date_is_what_the_edition_before_said_with_its_status_in_each_edition()
    {
        var answer = await GetJsonAsync("api/measures/oeffentliches-wlan?asOf=2021-12-31");
        var sample = Sample("2021")["oeffentliches-wlan"];

        Assert.Equal("2021-12-31", answer.GetProperty("at").GetProperty("date").GetString());
        Assert.Equal((string)sample["status"]!, answer.GetProperty("measure").GetProperty("status").GetString());
        Assert.Equal((int)sample["progress"]!, answer.GetProperty("measure").GetProperty("progress").GetInt32());
        Assert.Equal(["2020", "2021"], answer.GetProperty("editions").EnumerateArray().Select(e => e.GetProperty("edition").GetString()));
        Assert.All(answer.GetProperty("changes").EnumerateArray(), c => Assert.True(c.GetProperty("at").GetDateTimeOffset() < new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        // Without asOf the route answers as before: the measure now, with its whole history.
        var now = await GetJsonAsync("api/measures/oeffentliches-wlan");
        Assert.Equal((string)Sample("2024")["oeffentliches-wlan"]["status"]!, now.GetProperty("measure").GetProperty("status").GetString());
        Assert.True(now.TryGetProperty("lastChangedAt", out _));
    }

    [Theory]
    [InlineData("api/radar?asOf=2022-7-1", 400, "asOf", "YYYY-MM-DD")]
    [InlineData("api/radar?asOf=gestern", 400, "asOf", "YYYY-MM-DD")]
    [InlineData("api/radar?asOf=2999-01-01", 400, "asOf", "in the future")]
    [InlineData("api/radar?asOf=2022-01-01&asOf=2023-01-01", 400, "asOf", "once")]
    [InlineData("api/radar?asOf=2022-01-01&edition=2022", 400, "edition", "not both")]
    [InlineData("api/radar?edition=Zwanzig%20Zwanzig", 400, "edition", "edition id")]
    [InlineData("api/radar?edition=1999", 404, "edition", "no edition '1999'")]
    [InlineData("api/radar?asOf=2019-12-31", 404, "asOf", "2020-07-23")]
    [InlineData("api/radar?edition=2022&radar=atlantis", 404, "radar", "no radar 'atlantis'")]
    [InlineData("api/radar/editions?radar=atlantis", 404, "radar", "no radar 'atlantis'")]
    [InlineData("api/radar/diff", 400, "from", "required")]
    [InlineData("api/radar/diff?from=2024&to=2020", 400, "from", "after")]
    [InlineData("api/radar/diff?from=2023-01-01&to=2022-12-31", 400, "from", "after")]
    [InlineData("api/radar/diff?from=2022&to=31.12.2023", 400, "to", "YYYY-MM-DD")]
    [InlineData("api/radar/diff?from=2022&to=2999-01-01", 400, "to", "in the future")]
    [InlineData("api/radar/diff?from=1999&to=2022", 404, "from", "no edition '1999'")]
    [InlineData("api/radar/diff?from=2001-01-01&to=2022", 404, "from", "2020-07-23")]
    [InlineData("api/measures/oeffentliches-wlan?asOf=01.01.2022", 400, "asOf", "YYYY-MM-DD")]
    [InlineData("api/measures/oeffentliches-wlan?asOf=2019-01-01", 404, "asOf", "2020-07-23")]
    [InlineData("api/measures/gibt-es-nicht?asOf=2022-01-01", 404, null, "no measure 'gibt-es-nicht'")]
    public async Task Bad_input_is_a_problem_naming_the_parameter(string url, int status, string? parameter, string message)
    {
        using var response = await site.App.Client.GetAsync(url, Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(message, detail, StringComparison.Ordinal);
        if (parameter is not null)
        {
            if (status == 400)
            {
                Assert.Contains($"'{parameter}'", detail, StringComparison.Ordinal);
            }

            var named = status == 400
                ? problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("parameter").GetString()).ToList()
                : [problem.GetProperty("parameter").GetString()];
            Assert.Equal([parameter], named);
        }

        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("api/radar?edition=2022")]
    [InlineData("api/radar?asOf=2023-01-01")]
    [InlineData("api/radar/editions")]
    [InlineData("api/radar/diff?from=2020&to=2024")]
    [InlineData("api/radar/diff?from=2022")]
    [InlineData("api/measures/oeffentliches-wlan?asOf=2021-12-31")]
    public async Task Time_answers_are_validated_like_every_public_GET(string url)
    {
        using var first = await site.App.Client.GetAsync(url, Ct);
        var body = await first.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(first.Headers.ETag is { IsWeak: false }, "strong ETag");
        Assert.True(first.Headers.CacheControl?.Public);
        Assert.Equal("*", first.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await site.App.Client.SendAsync(conditional, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Ct));

        using var head = await site.App.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), Ct);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(first.Headers.ETag, head.Headers.ETag);
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));

        using var other = new HttpRequestMessage(HttpMethod.Get, url);
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"not-this-one\""));
        Assert.Equal(HttpStatusCode.OK, (await site.App.Client.SendAsync(other, Ct)).StatusCode);
    }

    [Fact]
    public async Task Unfiltered_feeds_tell_each_edition_as_one_entry_linking_to_its_report()
    {
        var editions = (await GetJsonAsync("api/radar/editions")).GetProperty("editions").EnumerateArray().ToList();
        var changes = await GetJsonAsync("api/changes?type=change&limit=100");
        var items = changes.GetProperty("items").EnumerateArray().ToList();

        // Every change so far came with an edition: five entries, not one per measure and edition.
        Assert.Equal(EditionsSite.Editions.Reverse().Select(e => "muenchen:" + e), items.Select(i => i.GetProperty("id").GetString()));
        Assert.All(items, i => Assert.Equal("edition", i.GetProperty("type").GetString()));
        var newest = items[0];
        var counts = editions[0].GetProperty("counts");
        Assert.StartsWith($"Digitalisierungsbericht 2024: {counts.GetProperty("created").GetInt32()} neue Maßnahmen, {counts.GetProperty("statusChanged").GetInt32()} mit neuem Status",
            newest.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal("/bericht/2024", newest.GetProperty("url").GetString());
        Assert.Equal(editions[0].GetProperty("at").GetDateTimeOffset(), newest.GetProperty("date").GetDateTimeOffset());
        Assert.Equal("2024", newest.GetProperty("edition").GetProperty("id").GetString());

        // The RSS a feed reader subscribes to: the editions and news, no "… neu im Radar".
        var rss = System.Xml.Linq.XDocument.Parse(await site.App.Client.GetStringAsync("api/feed.rss", Ct));
        var titles = rss.Descendants("item").Select(i => i.Element("title")!.Value).ToList();
        Assert.Contains(titles, t => t.StartsWith("Digitalisierungsbericht 2024: ", StringComparison.Ordinal));
        Assert.DoesNotContain(titles, t => t.EndsWith("neu im Radar", StringComparison.Ordinal));
        var report = rss.Descendants("item").Single(i => i.Element("guid")!.Value == "muenchen:2024");
        Assert.Equal("https://radar.example/bericht/2024", report.Element("link")!.Value);

        // A radar whose first import had no edition: that import is one entry too.
        var muster = (await GetJsonAsync("api/changes?radar=musterstadt&type=change")).GetProperty("items").EnumerateArray().ToList();
        var first = Assert.Single(muster);
        Assert.Equal("edition", first.GetProperty("type").GetString());
        Assert.Equal("first-import", first.GetProperty("edition").GetProperty("kind").GetString());
        Assert.Matches(@"^Digitalstrategie Musterstadt: \d+ Maßnahmen erstmals erfasst$", first.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Feeds_filtered_to_a_measure_area_or_status_keep_the_per_measure_changes()
    {
        var wlan = await GetJsonAsync("api/changes?measure=oeffentliches-wlan&type=change&limit=100");
        var area = await GetJsonAsync("api/changes?area=infrastruktur&type=change&limit=100");
        var status = await GetJsonAsync("api/changes?status=idee&type=change&limit=100");

        var wlanIds = Ids(wlan.GetProperty("items"));
        Assert.Equal(EditionsSite.Editions.Reverse().Select(e => "muenchen:oeffentliches-wlan:" + e).Where(wlanIds.Contains), wlanIds);
        Assert.Contains("muenchen:oeffentliches-wlan:2020", wlanIds);
        Assert.All(new[] { wlan, area, status }.SelectMany(a => a.GetProperty("items").EnumerateArray()), i => Assert.Equal("change", i.GetProperty("type").GetString()));
        Assert.Contains("muenchen:oeffentliches-wlan:2020", Ids(area.GetProperty("items")));
        Assert.All(area.GetProperty("items").EnumerateArray(), i => Assert.Equal("infrastruktur", i.GetProperty("change").GetProperty("area").GetProperty("id").GetString()));
        Assert.NotEmpty(status.GetProperty("items").EnumerateArray());
        Assert.All(status.GetProperty("items").EnumerateArray(), i => Assert.Equal("idee", i.GetProperty("change").GetProperty("status").GetProperty("id").GetString()));

        // The embed (and the widget, which reads /api/changes) shows the same: an edition as "Bericht".
        var embed = await site.App.Client.GetStringAsync("embed?type=change", Ct);
        Assert.Contains("· Bericht", embed, StringComparison.Ordinal);
        Assert.Contains("Digitalisierungsbericht 2024: ", embed, StringComparison.Ordinal);
        Assert.DoesNotContain("neu im Radar", embed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_home_pages_latest_changes_show_an_edition_as_one_line_and_a_filtered_list_the_measures()
    {
        var home = await site.App.Client.GetStringAsync("", Ct);
        var latest = home[home.IndexOf("id=\"aenderungen-titel\"", StringComparison.Ordinal)..];
        latest = latest[..latest.IndexOf("</ol>", StringComparison.Ordinal)];
        Assert.Contains("href=\"/bericht/2024\">Digitalisierungsbericht 2024: ", latest, StringComparison.Ordinal);
        Assert.DoesNotContain("neu im Radar", latest, StringComparison.Ordinal);

        // Filtered to an area, the list names the measures of that area that the editions changed.
        var filtered = await site.App.Client.GetStringAsync("?area=infrastruktur", Ct);
        var lines = filtered[filtered.IndexOf("id=\"aenderungen-titel\"", StringComparison.Ordinal)..];
        lines = lines[..lines.IndexOf("</ol>", StringComparison.Ordinal)];
        Assert.Contains("/massnahmen/", lines, StringComparison.Ordinal);
        Assert.DoesNotContain("/bericht/", lines, StringComparison.Ordinal);
    }
}
