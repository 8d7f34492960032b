using Radar.Core.Search;
using Radar.Core.Search.Serving;
using Radar.Core.Tests.News;

namespace Radar.Core.Tests.Search;

/// <summary>
/// The measures a news item is related to come from a model of the measures kept per commit
/// (<see cref="MeasureMatcher"/>) instead of a search per item: they must be exactly what the
/// search finds — same measures, same order, same scores — for every radar, as the index grows
/// by news documents (whose words shift every score) and measures change.
/// </summary>
public sealed class MeasureMatcherTests : IDisposable
{
    private static readonly string?[] Radars = [null, "muenchen", "musterstadt", "no-such-radar"];

    private readonly RadarIndex _index = SampleIndex.Build();

    public void Dispose() => _index.Dispose();

    /// <summary>What the ingest relates: each sample news item's title, summary and tags, as
    /// <see cref="IndexRelatedMeasureFinder"/> joins them; and texts with no word of any measure.</summary>
    private static List<string> Texts()
    {
        var parsing = new NewsTesting();
        var texts = NewsTesting.Samples
            .SelectMany(sample => parsing.ParseSample(sample.File, sample.Source).Items)
            .Select(item => string.Join("\n", new[] { item.Title, item.Summary }.Concat(item.Tags)))
            .ToList();
        texts.AddRange([
            "M-WLAN jetzt auch im Olympiapark",
            "Elektronische Akte: Verwaltung arbeitet papierlos, WLAN in Schulen",
            "Düsseldorf: Digitalstrategie neu ausgerichtet",
            "",
            "und oder aber",
        ]);
        return texts;
    }

    private void AssertSameAsTheSearch(IReadOnlyList<string> texts)
    {
        foreach (var text in texts)
        {
            foreach (var radar in Radars)
            {
                Assert.Equal(
                    _index.FindMeasuresBySearch(text, radar, IndexRelatedMeasureFinder.MaxMeasures, IndexRelatedMeasureFinder.MinScore, IndexRelatedMeasureFinder.RelativeScore),
                    _index.FindMeasures(text, radar, IndexRelatedMeasureFinder.MaxMeasures, IndexRelatedMeasureFinder.MinScore, IndexRelatedMeasureFinder.RelativeScore));
                // Without the floor: the whole ranking of the top 100, scores and ties included.
                Assert.Equal(_index.FindMeasuresBySearch(text, radar, 100), _index.FindMeasures(text, radar, 100));
            }
        }
    }

    [Fact]
    public void The_sample_news_relate_to_the_measures_the_search_finds()
    {
        var texts = Texts();

        AssertSameAsTheSearch(texts);
        var related = texts.Count(text => _index.FindMeasures(text, "muenchen", 5, IndexRelatedMeasureFinder.MinScore, IndexRelatedMeasureFinder.RelativeScore).Count > 0);
        Assert.InRange(related, 3, texts.Count - 3); // some relate, some do not: the floor is at work
        Assert.Equal("oeffentliches-wlan", _index.FindMeasures("M-WLAN jetzt auch im Olympiapark", "muenchen", 5, IndexRelatedMeasureFinder.MinScore, IndexRelatedMeasureFinder.RelativeScore)[0].Id);
    }

    [Fact]
    public void Scores_follow_the_index_as_news_measures_and_deletions_change_it()
    {
        var texts = Texts();
        const string Text = "Öffentliches WLAN im Rathaus und in den Bibliotheken";
        var before = _index.FindMeasures(Text, "muenchen", 100);

        // News sharing the measures' words, in several commits (several segments), some replaced.
        for (var round = 0; round < 3; round++)
        {
            _index.Upsert(Enumerable.Range(0, 40).Select(i => new SearchDocument
            {
                Type = SearchDocumentTypes.News,
                Id = $"n-{i % 30}",
                RadarId = "muenchen",
                Title = $"WLAN und Glasfaser für Schulen, Runde {round} ({i})",
                Summary = "Die Stadt baut das öffentliche WLAN aus; Bibliotheken und Rathaus folgen.",
                Tags = ["WLAN"],
            }));
            _index.Commit();
        }

        _index.Upsert(new SearchDocument
        {
            Type = SearchDocumentTypes.Measure,
            Id = "wlan-rathaus",
            RadarId = "muenchen",
            Title = "WLAN im Rathaus",
            Summary = "Freies WLAN in allen Bürgerbüros.",
        });

        var after = _index.FindMeasures(Text, "muenchen", 100);
        Assert.NotEqual(before.Select(hit => hit.Score), after.Select(hit => hit.Score).Take(before.Count));
        Assert.Contains(after, hit => hit.Id == "wlan-rathaus");
        AssertSameAsTheSearch([.. texts, Text]);

        Assert.True(_index.Delete(SearchDocumentTypes.Measure, "wlan-rathaus", "muenchen"));
        Assert.DoesNotContain(_index.FindMeasures(Text, "muenchen", 100), hit => hit.Id == "wlan-rathaus");
        AssertSameAsTheSearch([.. texts, Text]);
    }
}
