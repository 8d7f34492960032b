using Radar.Core.News;
using Radar.Core.News.Reading;

namespace Radar.Core.Tests.News.Atom;

/// <summary>Atom 1.0 through the whole reading pipeline, with the test feeds in this folder.</summary>
public class AtomReadingTests
{
    private static NewsFeedResult Parse(string file) => FeedTestData.Parse("Atom", file, "application/atom+xml");

    [Fact]
    public void A_complete_feed_resolves_xml_base_keeps_xhtml_and_falls_back_to_updated()
    {
        var result = Parse("complete.atom");

        Assert.Null(result.Error);
        Assert.Null(result.Break);
        Assert.Equal(FeedFormat.Atom, result.Feed!.Format);
        var (wlan, updatedOnly) = (result.Items[0], result.Items[1]);
        Assert.Equal("M-WLAN jetzt auch im Olympiapark", wlan.Title);
        Assert.Equal("https://stadtportal-muenchen.example/aktuelles/2026/wlan-olympiapark", wlan.Link);
        Assert.Contains("<strong>WLAN</strong>", wlan.ContentHtml, StringComparison.Ordinal);
        Assert.Equal("Presseamt", wlan.Author);
        Assert.Equal(NewsDateOrigin.Updated, updatedOnly.PublishedFrom);
        Assert.Equal("https://stadtportal-muenchen.example/aktuelles/2026/nur-updated", updatedOnly.Link);
    }

    [Fact]
    public void A_feed_cut_off_in_its_second_entry_keeps_the_first_and_says_where_it_broke()
    {
        var result = Parse("truncated.atom");

        Assert.Null(result.Error);
        Assert.Equal("M-WLAN jetzt auch im Olympiapark", Assert.Single(result.Items).Title);
        Assert.Equal(18, result.Break!.Line);
    }

    [Fact]
    public void A_feed_that_breaks_in_its_first_entry_is_refused_as_malformed()
    {
        var result = Parse("truncated-before-first-entry.atom");

        Assert.Equal(FeedErrorCodes.InvalidXml, result.Error?.Code);
        Assert.Empty(result.Items);
    }
}
