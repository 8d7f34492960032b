using System.Globalization;
using Radar.Core.Search;

namespace Radar.Core.Tests.Search;

public sealed class RadarIndexTests : IDisposable
{
    private readonly RadarIndex _index = RadarIndex.InMemory();

    public RadarIndexTests() => _index.Rebuild(GermanCorpus.Documents);

    public void Dispose() => _index.Dispose();

    private SearchResponse Search(string query, Func<SearchRequest, SearchRequest>? adjust = null)
    {
        var request = new SearchRequest { Query = query };
        return _index.Search(adjust is null ? request : adjust(request));
    }

    private List<string> Ids(string query, Func<SearchRequest, SearchRequest>? adjust = null) =>
        Search(query, adjust).Hits.Select(hit => hit.Id).ToList();

    /// <summary>Every type asked for: changes too (a search without a type lists measures and news).</summary>
    private static SearchRequest AllTypes(SearchRequest request) => request with { Types = SearchDocumentTypes.All };

    /// <summary>What a search without a type lists.</summary>
    private static IEnumerable<SearchDocument> Listed => GermanCorpus.Documents.Where(d => d.Type != SearchDocumentTypes.Change);

    [Theory]
    [InlineData("München")]
    [InlineData("Muenchen")]
    [InlineData("munchen")]
    [InlineData("MÜNCHEN")]
    public void Umlauts_and_their_spellings_match_alike(string query)
    {
        var ids = Ids(query);
        Assert.Contains("oeffentliches-wlan", ids); // "München" in its summary
        Assert.Contains("n-open-data", ids);        // "Muenchen" in its title
    }

    [Theory]
    [InlineData("Bibliotheken", "digitale-bibliothek")]
    [InlineData("Schule", "schulen-tablets")]
    [InlineData("Tablet", "schulen-tablets")]
    [InlineData("Onlinezugangsgesetz", "ozg-umsetzung")]
    public void Inflected_forms_find_each_other(string query, string expected) =>
        Assert.Equal(expected, Ids(query).FirstOrDefault());

    [Theory]
    [InlineData("Strategie", "digitalisierungsstrategie")]
    [InlineData("Service", "buergerservice-online")]
    [InlineData("Bürger", "buergerservice-online")]
    [InlineData("Daten", "ki-verkehr")]          // "Verkehrsdaten", "Sensordaten"
    public void A_part_finds_the_compound(string query, string expected) =>
        Assert.Contains(expected, Ids(query));

    [Fact]
    public void A_word_inside_a_compound_that_is_not_one_of_its_parts_does_not_match()
    {
        // "rate" is in "Digitalisierungsstrategie" as letters, not as a part.
        _index.Upsert(new SearchDocument { Type = SearchDocumentTypes.News, Id = "n-rate", Title = "Die Rate steigt" });
        Assert.Equal(["n-rate"], Ids("Rate"));
    }

    [Fact]
    public void A_batch_large_enough_to_be_indexed_on_every_core_is_indexed_whole_and_replaces_by_key()
    {
        var count = RadarIndex.ParallelUpsertFrom + 200;
        SearchDocument News(int i, string word) => new()
        {
            Type = SearchDocumentTypes.News,
            Id = $"n-batch-{i}",
            RadarId = "muenchen",
            Title = $"Meldung {i}: {word} für alle",
            Date = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i),
        };

        _index.Upsert(Enumerable.Range(0, count).Select(i => News(i, "Sensornetz")));
        _index.Upsert(Enumerable.Range(0, count).Select(i => News(i, "Ladesäulen")));

        Assert.Equal(count, Search("Ladesäulen", r => r with { Types = [SearchDocumentTypes.News] }).Total);
        Assert.Equal(0, Search("Sensornetz", r => r with { Types = [SearchDocumentTypes.News] }).Total);
    }

    [Fact]
    public void The_highlight_of_a_compound_part_marks_the_compound()
    {
        var hit = Search("Strategie").Hits.Single(hit => hit.Id == "digitalisierungsstrategie");
        Assert.Equal("Digitalisierungsstrategie der Stadt", hit.Title);
        var upsert = new SearchDocument
        {
            Type = SearchDocumentTypes.News,
            Id = "n-strategie",
            Title = "Neues aus dem Rathaus",
            Summary = "Der Stadtrat beschließt die Datenstrategie.",
        };
        _index.Upsert(upsert);
        var snippet = Search("Strategie").Hits.Single(hit => hit.Id == "n-strategie").Snippet;
        Assert.Equal("Der Stadtrat beschließt die <mark>Datenstrategie</mark>.", snippet);
    }

    [Theory]
    [InlineData("wlan")]
    [InlineData("WLAN")]
    [InlineData("WiFi")]
    [InlineData("Wi-Fi")]
    [InlineData("W-LAN")]
    [InlineData("Hotspot")]
    public void Wlan_synonyms_find_the_wlan_measure(string query) =>
        Assert.Contains("oeffentliches-wlan", Ids(query).Take(3));

    [Theory]
    [InlineData("E-Akte")]
    [InlineData("eAkte")]
    [InlineData("elektronische Akte")]
    public void E_akte_synonyms_find_the_e_akte_measure(string query) =>
        Assert.Equal("e-akte", Ids(query).FirstOrDefault());

    [Theory]
    [InlineData("KI", "ki-verkehr")]
    [InlineData("OZG", "ozg-umsetzung")]
    [InlineData("Onlinezugangsgesetz", "ozg-umsetzung")]
    public void Abbreviations_and_their_long_forms_match(string query, string expected) =>
        Assert.Equal(expected, Ids(query).FirstOrDefault());

    [Fact]
    public void A_phrase_matches_the_words_in_that_order_only()
    {
        var ids = Ids("\"öffentliches WLAN\"", AllTypes);
        Assert.Contains("oeffentliches-wlan", ids);
        Assert.Contains("c-wlan-status", ids);
        Assert.DoesNotContain("oeffentliches-wlan", Ids("\"WLAN öffentliches\"", AllTypes));
    }

    [Fact]
    public void A_minus_excludes_documents_with_that_word()
    {
        Assert.Contains("c-wlan-status", Ids("WLAN", AllTypes));
        var ids = Ids("WLAN -Status", AllTypes);
        Assert.Contains("oeffentliches-wlan", ids);
        Assert.DoesNotContain("c-wlan-status", ids);
    }

    [Fact]
    public void Every_word_is_required()
    {
        Assert.Equal(["digitale-bibliothek"], Ids("Bibliothek Ausweis"));
        Assert.Empty(Search("Bibliothek Ampeln").Hits);
    }

    [Theory]
    [InlineData("Digitalis*", "digitalisierungsstrategie")]
    [InlineData("Bürgerserv*", "buergerservice-online")]
    [InlineData("wla*", "oeffentliches-wlan")]
    [InlineData("Strategie*", "digitalisierungsstrategie")]
    public void A_star_makes_a_prefix(string query, string expected) =>
        Assert.Contains(expected, Ids(query));

    [Fact]
    public void A_typo_gets_a_fuzzy_retry_and_a_did_you_mean()
    {
        // One edit away from a word the index has: searched as that word, and said so.
        var response = Search("Bibliotek");
        Assert.Equal("Bibliotek", response.CorrectedFrom);
        Assert.Equal("Bibliothek", response.Query);
        Assert.Null(response.DidYouMean);
        Assert.Equal("digitale-bibliothek", response.Hits[0].Id);
    }

    [Fact]
    public void A_query_that_matches_has_no_did_you_mean()
    {
        var response = Search("Bibliothek");
        Assert.False(response.Fuzzy);
        Assert.Null(response.DidYouMean);
    }

    [Fact]
    public void Filters_narrow_the_hits_without_changing_their_scores()
    {
        var all = Search("digitale");
        var filtered = Search("digitale", r => r with { Areas = ["stadtverwaltung"] });
        Assert.NotEmpty(filtered.Hits);
        Assert.True(filtered.Total < all.Total);
        foreach (var hit in filtered.Hits)
        {
            Assert.Equal("stadtverwaltung", hit.Area);
            Assert.Equal(all.Hits.Single(h => h.Id == hit.Id).Score, hit.Score);
        }
    }

    [Fact]
    public void Every_filter_selects_what_it_names()
    {
        Assert.All(Search("", r => r with { Types = ["news"] }).Hits, hit => Assert.Equal("news", hit.Type));
        Assert.Equal(3, Search("", r => r with { Types = ["news"] }).Total);
        Assert.All(Search("", r => r with { Statuses = ["umgesetzt"] }).Hits, hit => Assert.Equal("umgesetzt", hit.Status));
        Assert.All(Search("", r => r with { Departments = ["it-referat"] }).Hits, hit => Assert.Contains("IT-Referat", hit.Departments));
        Assert.Equal(["schulen-tablets"], Ids("", r => r with { Tags = ["Tablets"] }));
        Assert.Equal(GermanCorpus.Documents.Count(d => d.RadarId == "muenchen"), Search("", r => AllTypes(r) with { Radars = ["muenchen"] }).Total);
        var from = new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var inRange = Search("", r => AllTypes(r) with { From = from, To = to });
        var expected = GermanCorpus.Documents.Count(d => d.Date >= from && d.Date < to);
        Assert.Equal(expected, inRange.Total);
        Assert.All(inRange.Hits, hit => Assert.InRange(hit.Date!.Value, from, to.AddTicks(-1)));
        Assert.Equal(["ki-verkehr"], Ids("", r => r with { Types = ["measure"], Areas = ["infrastruktur"], Statuses = ["idee"] }));
    }

    [Fact]
    public void Facets_count_all_matches_by_type_area_status_department_and_year()
    {
        var response = Search("", r => AllTypes(r) with { PageSize = 1 });
        var documents = GermanCorpus.Documents;
        Assert.Equal(documents.Count, response.Total);
        Assert.Equal(Counts(documents.Select(d => d.Type)), response.Facets[FacetNames.Type]);
        Assert.Equal(Counts(documents.Select(d => d.Area)), response.Facets[FacetNames.Area]);
        Assert.Equal(Counts(documents.Select(d => d.Status)), response.Facets[FacetNames.Status]);
        Assert.Equal(Counts(documents.SelectMany(d => d.Departments)), response.Facets[FacetNames.Department]);
        Assert.Equal(Counts(documents.Select(d => d.Date?.Year.ToString(CultureInfo.InvariantCulture))), response.Facets[FacetNames.Year]);
        Assert.Equal(Counts(documents.Select(d => d.RadarId)), response.Facets[FacetNames.Radar]);

        var filtered = Search("", r => r with { Types = ["measure"] });
        Assert.Equal(Counts(documents.Where(d => d.Type == "measure").SelectMany(d => d.Departments)), filtered.Facets[FacetNames.Department]);
    }

    private static Dictionary<string, int> Counts(IEnumerable<string?> values) =>
        values.Where(v => v is not null).GroupBy(v => v!).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void Facets_count_only_the_documents_that_match()
    {
        var response = Search("WLAN", AllTypes);
        Assert.Equal(response.Total, response.Facets[FacetNames.Type].Values.Sum());
        Assert.Equal(response.Hits.Count(hit => hit.Type == "change"), response.Facets[FacetNames.Type].GetValueOrDefault("change"));

        // Without a type, changes are counted in the type facet (to be chosen) but not listed,
        // nor in the total or the other facets.
        var listed = Search("WLAN");
        Assert.DoesNotContain(listed.Hits, hit => hit.Type == "change");
        Assert.Equal(response.Facets[FacetNames.Type], listed.Facets[FacetNames.Type]);
        Assert.Equal(response.Total - response.Facets[FacetNames.Type]["change"], listed.Total);
        Assert.Equal(listed.Total, listed.Hits.Count);
        Assert.Equal(Counts(listed.Hits.Select(hit => hit.Radar)), listed.Facets[FacetNames.Radar]);
    }

    [Fact]
    public void Snippets_are_escaped_and_mark_the_hits()
    {
        var hit = Search("Schulen").Hits.First(hit => hit.Id == "schulen-tablets");
        Assert.Equal("Geräte für &lt;<mark>Schulen</mark>&gt; &amp; Kitas &quot;jetzt&quot; bestellen.", hit.Snippet);
    }

    [Fact]
    public void A_snippet_comes_from_the_body_when_only_the_body_matches()
    {
        var hit = Search("Kreuzungen").Hits.Single();
        Assert.Equal("Ein Pilot an zwölf <mark>Kreuzungen</mark> wertet Sensordaten in Echtzeit aus.", hit.Snippet);
    }

    [Fact]
    public void A_synonym_marks_the_word_that_is_in_the_text()
    {
        var hit = Search("Hotspot").Hits.First(hit => hit.Id == "oeffentliches-wlan");
        Assert.Contains("Kostenloses <mark>WLAN</mark>", hit.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_text_is_cut_around_the_hit()
    {
        var filler = string.Join(' ', Enumerable.Repeat("Lorem ipsum dolor sit amet.", 40));
        _index.Upsert(new SearchDocument
        {
            Type = SearchDocumentTypes.News,
            Id = "n-long",
            Title = "Langer Text",
            Body = filler + " Hier steht das Zauberwort mitten im Text. " + filler,
        });
        var snippet = Search("Zauberwort").Hits.Single().Snippet!;
        Assert.StartsWith("… ", snippet, StringComparison.Ordinal);
        Assert.EndsWith(" …", snippet, StringComparison.Ordinal);
        Assert.Contains("<mark>Zauberwort</mark>", snippet, StringComparison.Ordinal);
        Assert.InRange(snippet.Length, 60, 320);
    }

    [Fact]
    public void A_body_too_long_for_a_doc_value_still_gives_its_snippet()
    {
        var filler = string.Join(' ', Enumerable.Repeat("Füllwort", 6_000)); // about 54,000 bytes
        _index.Upsert(new SearchDocument
        {
            Type = SearchDocumentTypes.News,
            Id = "n-huge",
            Title = "Sehr langer Bericht",
            Body = filler + " Am Ende steht das Schlusswort.",
        });
        var hit = Search("Schlusswort").Hits.Single();
        Assert.Equal("n-huge", hit.Id);
        Assert.EndsWith("Am Ende steht das <mark>Schlusswort</mark>.", hit.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Searches_run_while_documents_are_written_and_see_one_state_or_the_next()
    {
        var done = false;
        var totals = new List<int>();
        // The writer starts only once the searcher runs: on a busy machine the task may otherwise
        // start after the last write, and the test would prove nothing.
        var searcherRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var searching = Task.Run(() =>
        {
            while (!Volatile.Read(ref done))
            {
                totals.Add(_index.Search(new SearchRequest { Query = "Neuigkeit" }).Total);
                searcherRunning.TrySetResult();
            }
        }, TestContext.Current.CancellationToken);
        await searcherRunning.Task.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        for (var i = 0; i < 100; i++)
        {
            _index.Upsert(new SearchDocument { Type = SearchDocumentTypes.News, Id = "n-neu-" + i, Title = "Neuigkeit Nummer " + i });
            // Written means searchable: the index refreshed before Upsert returned.
            Assert.Equal(i + 1, Search("Neuigkeit").Total);
        }
        Volatile.Write(ref done, true);
        await searching;
        Assert.NotEmpty(totals);
        // Every search saw a whole state: the counts only ever grow, one document at a time or more.
        Assert.Equal(totals.Order(), totals);
        Assert.All(totals, total => Assert.InRange(total, 0, 100));
    }

    [Fact]
    public void Pages_cover_all_hits_once()
    {
        var total = Search("").Total;
        var seen = new List<string>();
        for (var page = 1; page <= 4; page++)
        {
            var response = Search("", r => r with { Page = page, PageSize = 5 });
            Assert.Equal(total, response.Total);
            Assert.True(response.Hits.Count <= 5);
            seen.AddRange(response.Hits.Select(hit => hit.Id));
        }
        Assert.Equal(total, seen.Count);
        Assert.Equal(total, seen.Distinct().Count());
    }

    [Fact]
    public void Date_sort_puts_the_newest_first()
    {
        var hits = Search("digitale", r => r with { Sort = SearchSort.Date }).Hits;
        Assert.True(hits.Count >= 3);
        Assert.Equal(hits.OrderByDescending(hit => hit.Date).Select(hit => hit.Id), hits.Select(hit => hit.Id));
        Assert.All(hits, hit => Assert.True(hit.Score > 0));
    }

    [Fact]
    public void Relevance_puts_a_title_match_before_a_body_match()
    {
        _index.Upsert(new SearchDocument
        {
            Type = SearchDocumentTypes.News,
            Id = "n-tafel-body",
            Title = "Neues aus den Schulen",
            Body = "Eine Tafel für jede Klasse.",
        });
        _index.Upsert(new SearchDocument { Type = SearchDocumentTypes.News, Id = "n-tafel-title", Title = "Die digitale Tafel kommt" });
        var ids = Ids("Tafel");
        Assert.True(ids.IndexOf("n-tafel-title") < ids.IndexOf("n-tafel-body"));
    }

    [Fact]
    public void A_hit_carries_what_the_answer_shows()
    {
        var hit = Search("WLAN", r => r with { Types = ["measure"] }).Hits.Single();
        Assert.Equal("measure", hit.Type);
        Assert.Equal("Öffentliches WLAN", hit.Title);
        Assert.Equal("/massnahmen/oeffentliches-wlan", hit.Url);
        Assert.Equal("infrastruktur", hit.Area);
        Assert.Equal("in-umsetzung", hit.Status);
        Assert.Equal(["IT-Referat", "Stadtwerke München"], hit.Departments);
        Assert.Equal(new DateTimeOffset(2020, 7, 23, 0, 0, 0, TimeSpan.Zero), hit.Date);
        Assert.StartsWith("Kostenloses <mark>WLAN</mark>", hit.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void Upsert_replaces_and_delete_removes()
    {
        var before = _index.Count;
        _index.Upsert(GermanCorpus.Documents[0] with { Title = "Freies Funknetz", Summary = "Neu formuliert.", Body = null, Tags = [] });
        Assert.Equal(before, _index.Count);
        Assert.Equal("Freies Funknetz", Search("Funknetz").Hits.Single(hit => hit.Id == "oeffentliches-wlan").Title);
        Assert.DoesNotContain("oeffentliches-wlan", Ids("Plätzen"));

        Assert.False(_index.Delete(SearchDocumentTypes.Measure, "oeffentliches-wlan")); // ids are keyed by radar
        Assert.True(_index.Delete(SearchDocumentTypes.Measure, "oeffentliches-wlan", "muenchen"));
        Assert.False(_index.Delete(SearchDocumentTypes.Measure, "oeffentliches-wlan", "muenchen"));
        Assert.Equal(before - 1, _index.Count);
        Assert.DoesNotContain("oeffentliches-wlan", Ids("Funknetz"));
    }

    [Fact]
    public void Control_characters_in_any_field_do_not_garble_the_hit()
    {
        _index.Upsert(new SearchDocument
        {
            Type = SearchDocumentTypes.News,
            Id = "n-\u001fodd",
            Title = "Seltsame\u001f Zeichen",
            Url = "https://example.org/\u001e",
            Area = "infra\u001fstruktur",
            Departments = ["A\u001eB"],
            Summary = "Steuerzeichen\u0000 im Text.",
        });
        var hit = Search("Seltsame").Hits.Single();
        Assert.Equal("n- odd", hit.Id);
        Assert.Equal("Seltsame  Zeichen", hit.Title);
        Assert.Equal("infra struktur", hit.Area);
        Assert.Equal(["A B"], hit.Departments);
        Assert.Equal("Steuerzeichen  im Text.", hit.Snippet);
    }

    [Fact]
    public void Same_id_in_different_types_are_different_documents()
    {
        _index.Upsert(new SearchDocument { Type = SearchDocumentTypes.News, Id = "e-akte", Title = "Bericht zur E-Akte" });
        Assert.Equal(2, Search("E-Akte").Hits.Count(hit => hit.Id == "e-akte"));
    }

    [Fact]
    public void Same_measure_id_on_two_radars_are_two_documents_each_with_its_radar()
    {
        var wlan = GermanCorpus.Documents.Single(d => d.Id == "oeffentliches-wlan");
        _index.Upsert(wlan with { RadarId = "musterstadt", Url = "/massnahmen/oeffentliches-wlan?radar=musterstadt" });
        var hits = Search("WLAN", r => r with { Types = ["measure"] }).Hits.Where(hit => hit.Id == "oeffentliches-wlan").ToList();
        Assert.Equal(["muenchen", "musterstadt"], hits.Select(hit => hit.Radar).Order());
        Assert.True(_index.Delete(SearchDocumentTypes.Measure, "oeffentliches-wlan", "musterstadt"));
        Assert.Equal("muenchen", Search("WLAN", r => r with { Types = ["measure"] }).Hits.Single(hit => hit.Id == "oeffentliches-wlan").Radar);
    }

    [Fact]
    public void A_news_item_indexed_again_on_a_radar_replaces_its_document()
    {
        var item = new SearchDocument { Type = SearchDocumentTypes.News, Id = "stadtportal:olympiapark", Title = "M-WLAN jetzt auch im Olympiapark" };
        _index.Upsert(item);
        _index.Upsert(item with { RadarId = "muenchen", RelatedMeasures = ["muenchen:oeffentliches-wlan"] });

        var hit = Assert.Single(Search("Olympiapark").Hits);
        Assert.Equal("muenchen", hit.Radar);
    }

    [Theory]
    [InlineData("dig", "Digitale")]
    [InlineData("wla", "WLAN")]
    [InlineData("Münch", "München")]
    [InlineData("muench", "München")]
    [InlineData("Bürgers", "Bürgerservice")]
    public void Suggest_completes_what_was_typed(string typed, string expectedStart)
    {
        var suggestions = _index.Suggest(typed).Suggestions;
        Assert.Contains(suggestions, s => s.Text.StartsWith(expectedStart, StringComparison.Ordinal));
    }

    [Fact]
    public void Suggest_offers_titles_to_open_directly()
    {
        var title = _index.Suggest("wla").Suggestions.First(s => s.Kind == "title");
        Assert.Equal("Öffentliches WLAN", title.Text);
        Assert.Equal("/massnahmen/oeffentliches-wlan", title.Url);
        Assert.Contains(_index.Suggest("öffentliches wl").Suggestions, s => s.Text == "öffentliches WLAN");
    }

    [Fact]
    public void Suggest_forgets_deleted_documents()
    {
        Assert.True(_index.Delete(SearchDocumentTypes.Measure, "ki-verkehr", "muenchen"));
        Assert.DoesNotContain(_index.Suggest("Künstl").Suggestions, s => s.Kind == "title");
    }

    [Fact]
    public void An_empty_query_lists_everything_newest_first()
    {
        var response = Search("");
        Assert.Equal(Listed.Count(), response.Total);
        Assert.Equal(Listed.Max(d => d.Date), response.Hits[0].Date);
    }

    [Fact]
    public void Only_stop_words_match_nothing()
    {
        var response = Search("der die das und");
        Assert.Equal(0, response.Total);
        Assert.Empty(response.Hits);
    }

    [Fact]
    public void A_read_only_replica_searches_the_newest_commit_after_a_refresh()
    {
        var path = Path.Combine(Path.GetTempPath(), "radar-index-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var writer = RadarIndex.Open(path);
            writer.Rebuild(GermanCorpus.Documents);
            using var replica = RadarIndex.OpenReadOnly(path);
            Assert.True(replica.IsReadOnly);
            Assert.Equal("digitale-bibliothek", replica.Search(new SearchRequest { Query = "Bibliothek" }).Hits[0].Id);

            writer.Upsert(new SearchDocument { Type = "news", Id = "n-neu", Title = "Neue Stadtbibliothek eröffnet" });
            Assert.DoesNotContain(replica.Search(new SearchRequest { Query = "eröffnet" }).Hits, hit => hit.Id == "n-neu");
            writer.Commit();
            replica.Refresh();
            Assert.Contains(replica.Search(new SearchRequest { Query = "eröffnet" }).Hits, hit => hit.Id == "n-neu");
            Assert.Throws<InvalidOperationException>(() => replica.Upsert(new SearchDocument { Type = "news", Id = "x", Title = "x" }));
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public void An_index_on_disk_survives_a_restart_and_keeps_its_vocabulary()
    {
        var path = Path.Combine(Path.GetTempPath(), "radar-index-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var index = RadarIndex.Open(path))
            {
                index.Upsert(new SearchDocument { Type = "news", Id = "n1", Title = "Die Gebührenordnung wird neu gefasst" });
                index.Commit();
            }
            using (var index = RadarIndex.Open(path))
            {
                Assert.Equal(1, index.Count);
                // "gebührenordnung" is in the index now: a compound made with it splits after the restart.
                index.Upsert(new SearchDocument { Type = "news", Id = "n2", Title = "Neue Parkgebührenordnung" });
                Assert.Equal(["n2", "n1"], index.Search(new SearchRequest { Query = "Gebührenordnung", Sort = SearchSort.Date }).Hits.Select(h => h.Id));
            }
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
