using Radar.Core.Search;

namespace Radar.Core.Tests.Search;

/// <summary>
/// Searches against the bundled samples (both radars, their first-import changes, the sample
/// news), as a reader types them: typos, changes beside their measures, one radar's search.
/// </summary>
public sealed class SampleSearchTests : IClassFixture<SampleSearchTests.Samples>
{
    private readonly RadarIndex _index;

    public SampleSearchTests(Samples samples) => _index = samples.Index;

    private SearchResponse Search(string query, Func<SearchRequest, SearchRequest>? adjust = null)
    {
        var request = new SearchRequest { Query = query };
        return _index.Search(adjust is null ? request : adjust(request));
    }

    [Theory]
    [InlineData("Bibliotehk", "Bibliothek", "digitale-stadtbibliothek")]
    [InlineData("Glasfasr", "Glasfaser", "glasfaserausbau")]
    // Five letters with one left out: four typed, one edit, however short its stem is.
    [InlineData("Ampl", "Ampel", "verkehrsmanagement-echtzeit")]
    [InlineData("Klma", "Klima", "digitaler-zwilling")]
    public void A_typo_one_edit_from_a_known_word_is_searched_as_that_word_and_says_so(string typed, string word, string expected)
    {
        var response = Search(typed);

        Assert.Equal(typed, response.CorrectedFrom);
        Assert.Equal(word, response.Query);
        Assert.Null(response.DidYouMean);
        Assert.False(response.Fuzzy);
        Assert.True(response.Total > 0);
        Assert.Contains(expected, response.Hits.Take(5).Select(hit => hit.Id));
        // The hits are the word's own.
        Assert.Equal(Search(word).Hits.Select(hit => hit.Id), response.Hits.Select(hit => hit.Id));
    }

    [Fact]
    public void A_compound_missing_its_last_letter_finds_what_its_first_word_is_about()
    {
        // "Terminvergabe" is not in the samples; "Termin" and "Vergabe" are.
        var response = Search("Terminvergab");

        Assert.True(response.Total > 0);
        Assert.True(response.Fuzzy);
        Assert.Equal("online-terminvereinbarung", response.Hits.First(hit => hit.Type == SearchDocumentTypes.Measure).Id);
    }

    [Fact]
    public void A_query_that_matches_is_not_corrected()
    {
        var response = Search("Bibliothek");
        Assert.Null(response.CorrectedFrom);
        Assert.Null(response.DidYouMean);
        Assert.Equal("Bibliothek", response.Query);
    }

    [Fact]
    public void A_measure_is_listed_without_its_change_which_the_type_facet_counts()
    {
        var response = Search("Glasfaser");

        Assert.DoesNotContain(response.Hits, hit => hit.Type == SearchDocumentTypes.Change);
        Assert.Contains("glasfaserausbau", response.Hits.Take(3).Select(hit => hit.Id));
        Assert.Contains("glasfaser-schulen", response.Hits.Take(3).Select(hit => hit.Id));
        var changes = Search("Glasfaser", r => r with { Types = [SearchDocumentTypes.Change] });
        Assert.Contains(changes.Hits, hit => hit.Id == "muenchen:glasfaserausbau:1");
        Assert.Equal(changes.Total, response.Facets[FacetNames.Type][SearchDocumentTypes.Change]);
        Assert.Equal(response.Total, response.Facets[FacetNames.Radar].Values.Sum());
    }

    [Fact]
    public void A_search_within_a_radar_lists_that_radars_documents_and_the_radar_facet_counts_both()
    {
        var all = Search("WLAN");
        Assert.True(all.Facets[FacetNames.Radar]["muenchen"] > 0);
        Assert.True(all.Facets[FacetNames.Radar]["musterstadt"] > 0);
        Assert.Contains(all.Hits, hit => hit.Radar == "muenchen");

        var musterstadt = Search("WLAN", r => r with { Radars = ["musterstadt"] });
        Assert.NotEmpty(musterstadt.Hits);
        Assert.All(musterstadt.Hits, hit => Assert.Equal("musterstadt", hit.Radar));
        Assert.Equal(all.Facets[FacetNames.Radar]["musterstadt"], musterstadt.Total);
        Assert.Contains("wlan-innenstadt", musterstadt.Hits.Select(hit => hit.Id));
    }

    [Fact]
    public void Suggestions_within_a_radar_come_from_that_radar_and_never_from_changes()
    {
        var everywhere = _index.Suggest("wlan", count: 20).Suggestions.Where(s => s.Kind == "title").ToList();
        Assert.Contains(everywhere, s => s.Id == "wlan-innenstadt");
        Assert.Contains(everywhere, s => s.Id == "oeffentliches-wlan");
        Assert.DoesNotContain(everywhere, s => s.Type == SearchDocumentTypes.Change);

        var musterstadt = _index.Suggest("wlan", count: 20, radar: "musterstadt").Suggestions.Where(s => s.Kind == "title").ToList();
        Assert.Contains(musterstadt, s => s.Id == "wlan-innenstadt");
        Assert.DoesNotContain(musterstadt, s => s.Id == "oeffentliches-wlan");
        // A word only Munich's documents have is not offered within Musterstadt.
        Assert.Contains(_index.Suggest("Olympia", count: 20).Suggestions, s => s.Kind == "term");
        Assert.DoesNotContain(_index.Suggest("Olympia", count: 20, radar: "musterstadt").Suggestions, s => s.Kind == "term");
    }

    public sealed class Samples : IDisposable
    {
        public RadarIndex Index { get; } = SampleIndex.Build();

        public void Dispose() => Index.Dispose();
    }
}
