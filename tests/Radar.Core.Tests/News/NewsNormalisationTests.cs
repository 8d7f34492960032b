using CodeHollow.FeedReader;
using Radar.Core.News;
using Radar.Core.News.Normalising;
using Radar.Core.News.Reading;

namespace Radar.Core.Tests.News;

public class NewsNormalisationTests
{
    private readonly NewsTesting _news = new();

    private const string Words =
        "Die Landeshauptstadt baut ihr kostenloses WLAN weiter aus und bringt es an Plätze, Bibliotheken, Schulen und Bahnhöfe. ";

    [Fact]
    public void The_summary_is_plain_text_of_at_most_400_characters_cut_at_a_word()
    {
        var text = string.Concat(Enumerable.Repeat(Words, 10));
        var feed = NewsTesting.Rss($"<item><title>Lang</title><link>https://x.example/l</link><description><![CDATA[<p>{text}</p>]]></description></item>");

        var summary = NewsTesting.Single(_news.Parse(feed)).Summary;

        Assert.True(summary.Length <= NewsItemNormaliser.SummaryLength, $"{summary.Length} characters");
        Assert.True(summary.Length > 300, $"{summary.Length} characters");
        Assert.EndsWith("…", summary, StringComparison.Ordinal);
        var kept = summary[..^1];
        Assert.StartsWith(kept, text, StringComparison.Ordinal);
        Assert.Equal(' ', text[kept.Length]); // the cut is at a word boundary
        Assert.DoesNotContain("<", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_summary_is_kept_whole()
    {
        var feed = NewsTesting.Rss("<item><title>Kurz</title><link>https://x.example/k</link><description>Ein Satz.</description></item>");

        Assert.Equal("Ein Satz.", NewsTesting.Single(_news.Parse(feed)).Summary);
    }

    [Theory]
    [InlineData("abc def", 400, "abc def")]
    [InlineData("eins zwei drei vier", 12, "eins zwei…")]
    [InlineData("eins, zwei drei", 12, "eins, zwei…")]
    [InlineData("Gesetz: zweiter Teil", 10, "Gesetz…")]
    [InlineData("Donaudampfschifffahrtsgesellschaftskapitän", 10, "Donaudamp…")]
    public void Shorten_cuts_at_the_last_word_before_the_limit(string text, int max, string expected)
    {
        var shortened = NewsHtml.Shorten(text, max);

        Assert.True(shortened.Length <= max);
        Assert.Equal(expected, shortened);
    }

    [Fact]
    public void Without_a_teaser_the_summary_comes_from_the_content()
    {
        var feed = NewsTesting.Rss("<item><title>T</title><link>https://x.example/t</link><content:encoded><![CDATA[<h2>Zwischentitel</h2><p>Absatz eins.</p><p>Absatz&nbsp;zwei.</p>]]></content:encoded></item>");

        var item = NewsTesting.Single(_news.Parse(feed));

        Assert.Equal("Zwischentitel Absatz eins. Absatz zwei.", item.Summary);
        Assert.Equal("<h2>Zwischentitel</h2><p>Absatz eins.</p><p>Absatz&nbsp;zwei.</p>", item.ContentHtml);
    }

    [Fact]
    public void Relative_links_and_xml_base_are_resolved_in_Atom_at_every_level()
    {
        var feed = """
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://stadt.example/news/">
              <title>t</title><id>urn:t</id>
              <entry xml:base="2026/">
                <title>Eins</title><id>urn:t:1</id>
                <link href="eins.html?utm_source=atom#oben"/>
                <content type="html" xml:base="/bilder/">&lt;img src="wlan.jpg"&gt;&lt;a href="../kontakt"&gt;Kontakt&lt;/a&gt;</content>
              </entry>
              <entry>
                <title>Zwei</title><id>urn:t:2</id>
                <link rel="self" href="/api/2"/>
                <link rel="alternate" type="text/html" href="zwei.html" xml:base="https://andere.example/archiv/"/>
                <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Ein <a href="detail">Link</a> und <em>Betonung</em></p></div></content>
              </entry>
            </feed>
            """;

        var result = _news.Parse(feed, "application/atom+xml", new Uri("https://stadt.example/feeds/atom.xml"));

        Assert.Null(result.Error);
        var (eins, zwei) = (result.Items[0], result.Items[1]);
        Assert.Equal("https://stadt.example/news/2026/eins.html", eins.Link);
        Assert.Contains("<img src=\"https://stadt.example/bilder/wlan.jpg\">", eins.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("href=\"https://stadt.example/kontakt\"", eins.ContentHtml, StringComparison.Ordinal);
        Assert.Equal("https://andere.example/archiv/zwei.html", zwei.Link);
        Assert.Equal("<p>Ein <a href=\"https://stadt.example/news/detail\" rel=\"nofollow noopener\">Link</a> und <em>Betonung</em></p>", zwei.ContentHtml);
    }

    [Fact]
    public void A_relative_RSS_link_is_resolved_against_the_feed_or_for_a_local_file_against_the_site()
    {
        var feed = NewsTesting.Rss("<item><title>Rel</title><link>meldungen/7</link></item>");

        var fromWeb = NewsTesting.Single(_news.Parse(feed, url: new Uri("https://feeds.kommunal-digital.example/rss/alle.xml")));
        var fromFile = NewsTesting.Single(_news.Parse(feed, url: new Uri("file:///srv/radar/samples/news/k.rss")));

        Assert.Equal("https://feeds.kommunal-digital.example/rss/meldungen/7", fromWeb.Link);
        Assert.Equal("https://www.kommunal-digital.example/meldungen/7", fromFile.Link);
    }

    [Fact]
    public void The_key_is_stable_and_built_from_guid_else_link_else_title_and_date()
    {
        static string Item(string inner) => NewsTesting.Rss($"<item>{inner}</item>");
        var source = NewsTesting.Source;
        var other = source with { Id = "andere-quelle" };

        var byGuid = NewsTesting.Single(_news.Parse(Item("<title>A</title><guid>g-1</guid><link>https://x.example/a</link>")));
        var byGuidEdited = NewsTesting.Single(_news.Parse(Item("<title>A, korrigiert</title><guid>g-1</guid><link>https://x.example/a-neu</link>")));
        var byGuidOtherSource = NewsTesting.Single(_news.Parse(Item("<title>A</title><guid>g-1</guid><link>https://x.example/a</link>"), source: other));
        var byLink = NewsTesting.Single(_news.Parse(Item("<title>B</title><link>https://x.example/b?utm_source=x#f</link>")));
        var byLinkTracked = NewsTesting.Single(_news.Parse(Item("<title>B geändert</title><link>https://x.example/b?utm_medium=y</link>")));
        var byTitle = NewsTesting.Single(_news.Parse(Item("<title>C</title><pubDate>Tue, 03 Nov 2026 10:00:00 +0100</pubDate>")));
        var byTitleOtherDay = NewsTesting.Single(_news.Parse(Item("<title>C</title><pubDate>Wed, 04 Nov 2026 10:00:00 +0100</pubDate>")));

        Assert.Equal(NewsKey.For(source.Id, "g-1", null, "", null), byGuid.Key);
        Assert.Matches("^[0-9a-f]{32}$", byGuid.Key);
        Assert.Equal(byGuid.Key, byGuidEdited.Key);
        Assert.NotEqual(byGuid.Key, byGuidOtherSource.Key);
        Assert.Equal(byLink.Key, byLinkTracked.Key);
        Assert.Equal(NewsKey.For(source.Id, null, "https://x.example/b", "", null), byLink.Key);
        Assert.NotEqual(byTitle.Key, byTitleOtherDay.Key);
    }

    [Fact]
    public void A_dateless_item_without_guid_or_link_keeps_its_key_as_time_passes()
    {
        var feed = NewsTesting.Rss("<item><title>Ohne alles</title><description>Text</description></item>");

        var first = NewsTesting.Single(_news.Parse(feed));
        _news.Clock.Advance(TimeSpan.FromHours(6));
        var later = NewsTesting.Single(_news.Parse(feed));

        Assert.Equal(first.Key, later.Key);
        Assert.Equal(NewsTesting.Now.AddHours(6), later.Published);
    }

    [Fact]
    public void Language_comes_from_the_item_else_the_feed_else_the_source()
    {
        var withFeedLanguage = NewsTesting.Rss("""
            <item xmlns:dc="http://purl.org/dc/elements/1.1/"><title>A</title><link>https://x.example/a</link><dc:language>en</dc:language></item>
            <item><title>B</title><link>https://x.example/b</link></item>
            """, "<language>de-at</language>");
        var withoutFeedLanguage = NewsTesting.Rss("<item><title>C</title><link>https://x.example/c</link></item>");

        var items = _news.Parse(withFeedLanguage).Items;
        var fromSource = NewsTesting.Single(_news.Parse(withoutFeedLanguage, source: NewsTesting.Source with { Language = "de" }));
        var none = NewsTesting.Single(_news.Parse(withoutFeedLanguage, source: NewsTesting.Source with { Language = null }));

        Assert.Equal(["en", "de-AT"], items.Select(i => i.Language));
        Assert.Equal("de", fromSource.Language);
        Assert.Null(none.Language);
    }

    [Fact]
    public void Categories_become_tags_once_each_in_their_first_spelling()
    {
        var feed = NewsTesting.Rss("""
            <item xmlns:dc="http://purl.org/dc/elements/1.1/"><title>T</title><link>https://x.example/t</link>
              <category>WLAN</category><category>wlan</category><category>  </category><category>München</category>
              <category domain="https://x.example/tags">Muenchen</category><dc:subject>Infrastruktur</dc:subject></item>
            """);

        Assert.Equal(["WLAN", "München", "Infrastruktur"], NewsTesting.Single(_news.Parse(feed)).Tags);
    }

    [Fact]
    public void RSS_0_91_0_92_and_Media_RSS_are_read_by_their_own_classes()
    {
        string Feed(string version, string extra = "") => $"""
            <rss version="{version}" {extra}><channel><title>Alt</title><link>https://x.example/</link><description>d</description>
            <item><title>Gemeinderat tagt öffentlich</title><link>https://x.example/1</link><description>Die Sitzung beginnt um 18 Uhr.</description></item>
            </channel></rss>
            """;

        var rss091 = _news.Parse(Feed("0.91"));
        var rss092 = _news.Parse(Feed("0.92"));
        var media = _news.Parse(Feed("2.0", "xmlns:media=\"http://search.yahoo.com/mrss/\""));

        Assert.Equal(FeedFormat.Rss091, rss091.Feed!.Format);
        Assert.Equal(FeedFormat.Rss092, rss092.Feed!.Format);
        Assert.Equal(FeedFormat.MediaRss, media.Feed!.Format);
        Assert.All(new[] { rss091, rss092, media }, r =>
            Assert.Equal(("Gemeinderat tagt öffentlich", "Die Sitzung beginnt um 18 Uhr."), (Assert.Single(r.Items).Title, r.Items[0].Summary)));
    }

    [Fact]
    public void A_JSON_Feed_item_without_id_is_kept_where_the_library_drops_it()
    {
        var json = """
            {"version":"https://jsonfeed.org/version/1.1","title":"Blog","items":[
              {"url":"https://x.example/ohne-id","title":"Ohne id","content_text":"Text"},
              {"id":"2","url":"https://x.example/mit-id","title":"Mit id","content_text":"Text"}]}
            """;

        var ours = _news.Parse(json, "application/feed+json");
        var library = FeedReader.ReadFromString(json); // the path Radar does not take, for comparison

        Assert.Equal(["Ohne id", "Mit id"], ours.Items.Select(i => i.Title));
        Assert.Equal(NewsKey.For(NewsTesting.Source.Id, null, "https://x.example/ohne-id", "", null), ours.Items[0].Key);
        Assert.Equal(["Mit id"], library.Items.Select(i => i.Title));
    }

    [Fact]
    public void Oversized_content_is_cut_at_an_element_and_stays_well_formed()
    {
        var news = new NewsTesting(new NewsOptions { MaxContentCharacters = 2_000 });
        var paragraphs = string.Concat(Enumerable.Range(1, 100).Select(i => $"<p>Absatz {i}: {Words}</p>"));
        var feed = NewsTesting.Rss($"<item><title>T</title><link>https://x.example/t</link><content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>");

        var content = NewsTesting.Single(news.Parse(feed)).ContentHtml;

        Assert.True(content.Length <= 2_000, $"{content.Length} characters");
        Assert.StartsWith("<p>Absatz 1: ", content, StringComparison.Ordinal);
        Assert.EndsWith("</p><p>…</p>", content, StringComparison.Ordinal);
        Assert.Equal(CountOf(content, "<p>"), CountOf(content, "</p>"));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public void Titles_are_entity_decoded_and_capped()
    {
        var longTitle = string.Concat(Enumerable.Repeat("Digitalisierung ", 40));
        var feed = NewsTesting.Rss($"""
            <item><title>Stadtwerke &amp;amp; IT-Referat: &#8222;WLAN&#8220; &amp;#x2013; jetzt</title><link>https://x.example/1</link></item>
            <item><title>{longTitle}</title><link>https://x.example/2</link></item>
            """);

        var items = _news.Parse(feed).Items;

        Assert.Equal("Stadtwerke & IT-Referat: „WLAN“ – jetzt", items[0].Title);
        Assert.True(items[1].Title.Length <= NewsItemNormaliser.TitleLength);
        Assert.EndsWith("Digitalisierung…", items[1].Title, StringComparison.Ordinal);
    }
}
