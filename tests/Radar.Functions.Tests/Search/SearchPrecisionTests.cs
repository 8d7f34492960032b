using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Radar.Functions.Tests.Search;

/// <summary>
/// What a reader gets from a search over HTTP, on the two sample radars and the sample news: a
/// typo searched as the word it misses (and said so, in the API and on <c>/suche</c>), measures
/// and news without their changes, a search within one radar from that radar's pages.
/// </summary>
public partial class SearchPrecisionTests(SearchFixture fixture) : IClassFixture<SearchFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => fixture.App.Client;

    private async Task<JsonElement> SearchAsync(string query)
    {
        using var response = await Client.GetAsync("api/search?" + query, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static List<JsonElement> Hits(JsonElement answer) => [.. answer.GetProperty("hits").EnumerateArray()];

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [Fact]
    public async Task A_typo_without_hits_is_searched_as_the_word_it_misses_and_the_answer_says_so()
    {
        var answer = await SearchAsync("q=Bibliotehk");

        Assert.Equal("Bibliotehk", Text(answer, "correctedFrom"));
        Assert.Equal("Bibliothek", Text(answer, "query"));
        Assert.Null(Text(answer, "didYouMean"));
        Assert.True(answer.GetProperty("total").GetInt32() > 0);
        var asCorrected = await SearchAsync("q=Bibliothek");
        Assert.Equal(Hits(asCorrected).Select(h => Text(h, "id")), Hits(answer).Select(h => Text(h, "id")));
        Assert.Null(Text(asCorrected, "correctedFrom"));

        var page = await Client.GetStringAsync("/suche?q=Bibliotehk", Ct);
        Assert.Contains("Ergebnisse für <strong>Bibliothek</strong> — gesucht war Bibliotehk", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Glasfaser_lists_the_measures_not_their_changes_which_type_change_lists()
    {
        var answer = await SearchAsync("q=Glasfaser");
        var hits = Hits(answer);

        Assert.DoesNotContain(hits, h => Text(h, "type") == "change");
        Assert.Contains("glasfaserausbau", hits.Take(3).Select(h => Text(h, "id")));
        var types = answer.GetProperty("facets").GetProperty("type");
        var changes = await SearchAsync("q=Glasfaser&type=change");
        Assert.Contains(Hits(changes), h => Text(h, "id")!.StartsWith("muenchen:glasfaserausbau:", StringComparison.Ordinal));
        Assert.Equal(changes.GetProperty("total").GetInt32(), types.GetProperty("change").GetInt32());
        Assert.Equal(answer.GetProperty("total").GetInt32(), types.EnumerateObject().Where(t => t.Name != "change").Sum(t => t.Value.GetInt32()));

        // The page lists no change either, and offers them in its type facet.
        var page = await Client.GetStringAsync("/suche?q=Glasfaser", Ct);
        Assert.DoesNotContain("hit--change", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/suche?q=Glasfaser&amp;type=change\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_within_a_radar_lists_its_documents_and_the_radar_facet_counts_each_radar()
    {
        var all = await SearchAsync("q=WLAN");
        var radars = all.GetProperty("facets").GetProperty("radar");
        Assert.True(radars.GetProperty("muenchen").GetInt32() > 0);
        Assert.True(radars.GetProperty("musterstadt").GetInt32() > 0);

        var musterstadt = await SearchAsync("q=WLAN&radar=musterstadt");
        Assert.NotEmpty(Hits(musterstadt));
        Assert.All(Hits(musterstadt), h => Assert.Equal("musterstadt", Text(h, "radar")));
        Assert.Equal(radars.GetProperty("musterstadt").GetInt32(), musterstadt.GetProperty("total").GetInt32());

        var suggest = await Client.GetFromJsonAsync<JsonElement>("api/suggest?q=wlan&radar=musterstadt", Ct);
        var titles = suggest.GetProperty("suggestions").EnumerateArray().Where(s => Text(s, "kind") == "title").Select(s => Text(s, "id")).ToList();
        Assert.Contains("wlan-innenstadt", titles);
        Assert.DoesNotContain("oeffentliches-wlan", titles);
        using var badRadar = await Client.GetAsync("api/suggest?q=wlan&radar=Muster%20Stadt", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badRadar.StatusCode);

        // The radar facet on the page, by the radars' titles.
        var page = await Client.GetStringAsync("/suche?q=WLAN", Ct);
        Assert.Matches("href=\"/suche\\?q=WLAN&amp;radar=musterstadt\">Digitalstrategie Musterstadt <span class=\"pill__count\">\\(\\d+\\)", page);
    }

    [Fact]
    public async Task The_pages_of_a_non_default_radar_search_within_it_the_default_radars_pages_search_everything()
    {
        var home = await Client.GetStringAsync("/?radar=musterstadt", Ct);
        var measure = await Client.GetStringAsync("/massnahmen/buergerkonto?radar=musterstadt", Ct);
        var results = await Client.GetStringAsync("/suche?q=WLAN&radar=musterstadt", Ct);
        foreach (var page in new[] { home, measure, results })
        {
            Assert.Equal(["musterstadt"], HiddenRadar().Matches(SearchForm(page)).Select(m => m.Groups[1].Value));
            Assert.Contains("Im Radar „Digitalstrategie Musterstadt“ suchen", WebUtility.HtmlDecode(SearchForm(page)), StringComparison.Ordinal);
        }

        Assert.DoesNotMatch(HiddenRadar(), SearchForm(await Client.GetStringAsync("/", Ct)));
        Assert.DoesNotMatch(HiddenRadar(), SearchForm(await Client.GetStringAsync("/massnahmen/oeffentliches-wlan", Ct)));

        // What that box sends: only Musterstadt's hits.
        var sent = await Client.GetStringAsync("/suche?radar=musterstadt&q=WLAN", Ct);
        Assert.Contains("/massnahmen/wlan-innenstadt?radar=musterstadt", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("/massnahmen/oeffentliches-wlan\"", sent, StringComparison.Ordinal);
    }

    private static string SearchForm(string page)
    {
        var start = page.IndexOf("<form method=\"get\" action=\"/suche\" role=\"search\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "the page has the site's search box");
        return page[start..page.IndexOf("</form>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"radar\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenRadar();
}
