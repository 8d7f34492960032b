using Radar.Core.News;

namespace Radar.Core.Tests.News;

public class RelatedMeasureFinderTests
{
    private static readonly MeasureKeywords[] Measures =
    [
        new("oeffentliches-wlan", "Öffentliches WLAN", ["WLAN", "Hotspot", "M-WLAN"]),
        new("e-akte", "E-Akte", ["elektronische Akte"]),
        new("stadtbibliothek-digital", "Münchner Stadtbibliothek digital", ["Stadtbibliothek", "E-Medien"]),
        new("kurz", "IT", ["KI"]),
    ];

    private static NewsItem Item(string title, string summary = "", params string[] tags) => new()
    {
        Key = "k",
        Title = title,
        Summary = summary,
        Tags = tags,
        Published = NewsTesting.Now,
        Sources = [NewsTesting.Source.Ref],
    };

    [Theory]
    [InlineData("M-WLAN jetzt auch im Olympiapark", "", new string[0], new[] { "oeffentliches-wlan" })]
    [InlineData("Neue Hotspots", "Kostenloses Wlan an 46 Orten", new string[0], new[] { "oeffentliches-wlan" })]
    [InlineData("Kreisverwaltungsreferat arbeitet papierlos", "Die elektronische Akte ist eingeführt.", new string[0], new[] { "e-akte" })]
    [InlineData("E Akte im KVR", "", new string[0], new[] { "e-akte" })]
    [InlineData("Rekord bei der Ausleihe", "", new[] { "Stadtbibliothek", "WLAN" }, new[] { "oeffentliches-wlan", "stadtbibliothek-digital" })]
    [InlineData("Düsseldorf: Digitalstrategie neu ausgerichtet", "Die Stadt hat ihre Strategie überarbeitet.", new string[0], new string[0])]
    [InlineData("KI im IT-Referat", "", new string[0], new string[0])] // two-letter keywords match too much
    public async Task Measures_are_found_by_whole_words_of_their_titles_and_tags(string title, string summary, string[] tags, string[] expected)
    {
        var finder = new KeywordMeasureFinder(Measures);

        var found = await finder.FindAsync(Item(title, summary, tags), TestContext.Current.CancellationToken);

        Assert.Equal(expected.Order(), found.Order());
    }

    [Fact]
    public async Task Words_inside_other_words_do_not_count()
    {
        var finder = new KeywordMeasureFinder(Measures);

        Assert.Empty(await finder.FindAsync(Item("WLANs sind Hotspotkarten", "Die Akten liegen im Keller."), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Until_measures_exist_nothing_is_related()
    {
        Assert.Empty(await new NoRelatedMeasures().FindAsync(Item("M-WLAN überall"), TestContext.Current.CancellationToken));
    }
}
