using Radar.Core.News;
using Radar.Core.News.Reading;

namespace Radar.Core.Tests.News.Rss;

/// <summary>RSS 2.0 through the whole reading pipeline, with the test feeds in this folder.</summary>
public class RssReadingTests
{
    private static NewsFeedResult Parse(string file) => FeedTestData.Parse("Rss", file, "application/rss+xml");

    [Fact]
    public void A_complete_feed_is_read_whole_with_links_dates_and_content_made_safe()
    {
        var result = Parse("complete.rss");

        Assert.Null(result.Error);
        Assert.Null(result.Break);
        Assert.Equal(FeedFormat.Rss20, result.Feed!.Format);
        Assert.Equal(2, result.Items.Count);
        var first = result.Items[0];
        Assert.Equal("https://www.kommunal-digital.example/2026/erster-eintrag", first.Link);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero), first.Published);
        Assert.DoesNotContain("script", first.ContentHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["Digitalradar"], first.Tags);
        Assert.Equal("https://www.kommunal-digital.example/2026/zweiter-eintrag", result.Items[1].Link);
    }

    [Fact]
    public void A_feed_cut_off_in_its_second_item_keeps_the_first_and_says_where_it_broke()
    {
        var result = Parse("truncated.rss");

        Assert.Null(result.Error);
        var item = Assert.Single(result.Items);
        Assert.Equal("Digitalradar: erster vollständiger Eintrag", item.Title);
        var broken = Assert.IsType<FeedBreak>(result.Break);
        Assert.Equal(16, broken.Line); // the last line, where the file ends
        Assert.True(broken.Column > 1);
        Assert.Contains("end of file", broken.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_bad_end_tag_in_the_third_item_keeps_the_two_before_it()
    {
        var result = Parse("bad-tag-in-third-item.rss");

        Assert.Null(result.Error);
        Assert.Equal(["Meldung 1", "Meldung 2"], result.Items.Select(i => i.Title));
        var (line, _) = FeedTestData.Where("Rss", "bad-tag-in-third-item.rss", "</titel>");
        Assert.Equal(line, result.Break!.Line);
    }

    [Fact]
    public void A_feed_that_breaks_before_its_first_complete_item_is_refused_as_malformed()
    {
        var result = Parse("truncated-before-first-item.rss");

        Assert.Equal(FeedErrorCodes.InvalidXml, result.Error?.Code);
        Assert.Matches(@"[Ll]ine \d+", result.Error!.Message);
        Assert.Empty(result.Items);
        Assert.Null(result.Break);
    }
}
