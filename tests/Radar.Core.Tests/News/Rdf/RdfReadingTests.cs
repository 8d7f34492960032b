using Radar.Core.News;
using Radar.Core.News.Reading;

namespace Radar.Core.Tests.News.Rdf;

/// <summary>RDF (RSS 1.0) through the whole reading pipeline, with the test feeds in this folder.</summary>
public class RdfReadingTests
{
    private static NewsFeedResult Parse(string file) => FeedTestData.Parse("Rdf", file, "application/rdf+xml");

    [Fact]
    public void A_complete_feed_reads_the_items_beside_the_channel_with_their_ids_dates_and_subjects()
    {
        var result = Parse("complete.rdf");

        Assert.Null(result.Error);
        Assert.Equal(FeedFormat.Rdf, result.Feed!.Format);
        Assert.Equal("de", result.Feed.Language);
        Assert.Equal(["Stadtbibliothek verleiht E-Medien", "Bürgerkonto mit neuer Anmeldung"], result.Items.Select(i => i.Title));
        Assert.Equal("https://verwaltung-modern.example/2026/bibliothek", result.Items[0].ItemId);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 7, 0, 0, TimeSpan.Zero), result.Items[0].Published);
        Assert.Equal(["Bibliothek"], result.Items[0].Tags);
    }

    [Fact]
    public void A_feed_cut_off_in_its_second_item_keeps_the_first_and_says_where_it_broke()
    {
        var result = Parse("truncated.rdf");

        Assert.Null(result.Error);
        Assert.Equal("Stadtbibliothek verleiht E-Medien", Assert.Single(result.Items).Title);
        Assert.Equal(15, result.Break!.Line);
    }
}
