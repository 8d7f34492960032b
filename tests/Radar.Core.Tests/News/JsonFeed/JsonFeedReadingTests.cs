using Radar.Core.News;
using Radar.Core.News.Reading;

namespace Radar.Core.Tests.News.JsonFeed;

/// <summary>JSON Feed 1.1 through the whole reading pipeline, with the test feeds in this folder.</summary>
public class JsonFeedReadingTests
{
    private static NewsFeedResult Parse(string file) => FeedTestData.Parse("JsonFeed", file, "application/feed+json");

    [Fact]
    public void A_complete_feed_keeps_the_item_without_id_reads_a_numeric_id_and_resolves_relative_urls()
    {
        var result = Parse("complete.json");

        Assert.Null(result.Error);
        Assert.Equal(FeedFormat.JsonFeed, result.Feed!.Format);
        Assert.Equal(2, result.Items.Count);
        Assert.Equal("17", result.Items[0].ItemId);
        // Relative to the URL the feed was fetched from (here NewsTesting.FeedUrl), as the spec asks.
        Assert.Equal(new Uri(NewsTesting.FeedUrl, "/2026/e-akte").AbsoluteUri, result.Items[0].Link);
        Assert.Equal("<p>Erster Absatz.</p><p>Zweiter Absatz.</p>", result.Items[0].ContentHtml);
        Assert.Equal("Ein Eintrag ohne id", result.Items[1].Title);
    }

    [Fact]
    public void A_cut_off_JSON_feed_is_refused_whole_with_the_position_salvage_is_for_XML()
    {
        var result = Parse("truncated.json");

        Assert.Equal(FeedErrorCodes.InvalidJson, result.Error?.Code);
        Assert.Contains("line 6", result.Error!.Message, StringComparison.Ordinal); // where the file ends
        Assert.Empty(result.Items);
    }
}
