using System.Text;
using Radar.Core.News;
using Radar.Core.News.Reading;

namespace Radar.Core.Tests.News;

/// <summary>Feeds built to hurt: each is refused (or defused) with a clear reason, and nothing of
/// the attack comes out.</summary>
public sealed class HostileFeedTests : IDisposable
{
    private readonly NewsTesting _news = new();
    private readonly string _secretFile = Path.Combine(Path.GetTempPath(), $"radar-secret-{Guid.NewGuid():N}.txt");
    private readonly string _secret = "GEHEIM-" + Guid.NewGuid().ToString("N");

    public HostileFeedTests() => File.WriteAllText(_secretFile, _secret);

    public void Dispose() => File.Delete(_secretFile);

    [Fact]
    public void An_XXE_reading_a_local_file_is_refused_at_the_DTD_and_the_file_never_appears()
    {
        var feed = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE rss [ <!ENTITY secret SYSTEM "file://{_secretFile}"> ]>
            <rss version="2.0"><channel><title>&secret;</title><link>https://x.example/</link>
            <item><title>&secret;</title><description>&secret;</description><link>https://x.example/1</link></item>
            </channel></rss>
            """;

        var result = _news.Parse(feed);

        Assert.Equal(FeedErrorCodes.Dtd, result.Error?.Code);
        Assert.Contains("line 2", result.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(result.Items);
        Assert.DoesNotContain(_secret, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_XXE_hidden_behind_a_DEL_character_is_still_refused()
    {
        // CodeHollow's own entry points strip U+007F before parsing, so a text check for
        // "<!DOCTYPE" can be fooled; here the XML reader itself refuses every DTD.
        var feed = $"<?xml version=\"1.0\"?>\n<!DOC\u007FTYPE rss [ <!ENTITY s SYSTEM \"file://{_secretFile}\"> ]>\n<rss version=\"2.0\"><channel><item><title>&s;</title></item></channel></rss>";

        var result = _news.Parse(feed);

        Assert.Equal(FeedErrorCodes.Dtd, result.Error?.Code);
        Assert.Empty(result.Items);
        Assert.DoesNotContain(_secret, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_billion_laughs_entity_bomb_is_refused_without_expanding_it()
    {
        var entities = new StringBuilder("<!ENTITY lol0 \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            entities.Append(CultureInfo($"<!ENTITY lol{i} \"&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};&lol{i - 1};\">"));
        }

        var feed = $"<?xml version=\"1.0\"?>\n<!DOCTYPE rss [{entities}]>\n<rss version=\"2.0\"><channel><title>t</title><item><title>&lol9;</title></item></channel></rss>";
        var before = GC.GetAllocatedBytesForCurrentThread();

        var result = _news.Parse(feed);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(FeedErrorCodes.Dtd, result.Error?.Code);
        // Expanded, &lol9; is 3 billion characters; refused, the parse allocates a few kilobytes.
        Assert.True(allocated < 5_000_000, $"allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData("<!DOCTYPE html>\n<html lang=\"de\"><head><title>Startseite</title></head><body><p>Willkommen</p></body></html>", "text/html; charset=utf-8")]
    [InlineData("<html><head><title>Fehler 404</title></head><body>Nicht gefunden</body></html>", "text/html")]
    [InlineData("<!-- CMS -->\n<!doctype HTML><html><body><br></body></html>", "application/rss+xml")]
    [InlineData("<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>x</title></head><body/></html>", null)]
    public void An_HTML_page_instead_of_a_feed_is_refused_as_HTML(string body, string? contentType)
    {
        var result = _news.Parse(body, contentType);

        Assert.Equal(FeedErrorCodes.Html, result.Error?.Code);
        Assert.Contains("HTML page", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_XML_halfway_through_keeps_the_items_before_it_and_says_where_it_broke()
    {
        var items = string.Concat(Enumerable.Range(1, 20).Select(i =>
            $"<item><title>Meldung {i}</title><link>https://x.example/{i}</link></item>\n"));
        var feed = NewsTesting.Rss(items + "<item><title>Kaputt</titel></item>\n" + items);

        var result = _news.Parse(feed);

        Assert.Null(result.Error);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"Meldung {i}"), result.Items.Select(i => i.Title));
        var lines = feed.Split('\n');
        Assert.Contains("</titel>", lines[result.Break!.Line - 1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_feed_cut_off_in_its_first_item_is_refused()
    {
        var feed = NewsTesting.Rss("<item><title>Erste</title><link>https://x.example/1</link></item>");

        var result = _news.Parse(feed[..(feed.Length / 2)]);

        Assert.Equal(FeedErrorCodes.InvalidXml, result.Error?.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n\t ")]
    public void An_empty_body_is_refused_as_empty(string body)
    {
        var result = _news.Parse(body);

        Assert.Equal(FeedErrorCodes.Empty, result.Error?.Code);
    }

    [Theory]
    [InlineData("Internal Server Error", FeedErrorCodes.NotAFeed)]
    [InlineData("[1, 2, 3]", FeedErrorCodes.NotAFeed)]
    [InlineData("{\"title\": \"kein Feed\"}", FeedErrorCodes.NotAFeed)]
    [InlineData("{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [ {\"id\": 1,", FeedErrorCodes.InvalidJson)]
    [InlineData("<opml version=\"2.0\"><body/></opml>", FeedErrorCodes.NotAFeed)]
    [InlineData("<rss version=\"2.0\"><item><title>ohne channel</title></item></rss>", FeedErrorCodes.Structure)]
    public void Bodies_that_are_no_feed_are_refused_with_a_reason(string body, string code)
    {
        var result = _news.Parse(body);

        Assert.Equal(code, result.Error?.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.Error!.Message));
    }

    [Fact]
    public void A_feed_over_the_character_cap_is_refused_before_it_is_parsed()
    {
        var news = new NewsTesting(new NewsOptions { MaxFeedCharacters = 100_000 });
        var items = string.Concat(Enumerable.Range(1, 1000).Select(i =>
            $"<item><title>Meldung {i}</title><link>https://x.example/{i}</link><description>Text über München</description></item>"));

        var result = news.Parse(NewsTesting.Rss(items));

        Assert.Equal(FeedErrorCodes.TooLarge, result.Error?.Code);
        Assert.Contains("100,000", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("News__MaxFeedCharacters", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_feed_just_under_the_cap_is_read()
    {
        var news = new NewsTesting(new NewsOptions { MaxFeedCharacters = 100_000 });
        var items = string.Concat(Enumerable.Range(1, 100).Select(i => $"<item><title>Meldung {i}</title><link>https://x.example/{i}</link></item>"));
        var feed = NewsTesting.Rss(items);
        Assert.True(feed.Length < 100_000);

        var result = news.Parse(feed);

        Assert.Null(result.Error);
        Assert.Equal(100, result.Items.Count);
    }

    [Fact]
    public void Script_event_handlers_and_javascript_links_in_content_are_removed_and_the_text_stays()
    {
        var feed = NewsTesting.Rss("""
            <item>
              <title>Neue Bürgerdienste</title>
              <link>https://www.kommunal-digital.example/a</link>
              <description><![CDATA[<p onclick="steal()">Jetzt online: <a href="javascript:alert(document.cookie)">Antrag</a>
                <a href=" JaVaScRiPt:alert(1)">zwei</a> <a href="data:text/html;base64,PHNjcmlwdD4=">drei</a>
                <img src="x.png" onerror="alert(1)"><script>alert('xss')</script><iframe src="https://evil.example/"></iframe>
                <style>body{display:none}</style><svg onload="alert(1)"><script>alert(2)</script></svg>
                <a href="https://www.kommunal-digital.example/b" style="color:red" target="_blank">echt</a></p>]]></description>
            </item>
            """);

        var item = NewsTesting.Single(_news.Parse(feed));

        foreach (var forbidden in new[] { "<script", "onclick", "onerror", "onload", "javascript:", "data:", "<iframe", "<style", "<svg", "alert", "style=", "target=" })
        {
            Assert.DoesNotContain(forbidden, item.ContentHtml, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("Jetzt online:", item.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://www.kommunal-digital.example/b\" rel=\"nofollow noopener\">echt</a>", item.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://www.kommunal-digital.example/x.png\">", item.ContentHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("alert", item.Summary, StringComparison.Ordinal);
        Assert.StartsWith("Jetzt online: Antrag zwei drei", item.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Escaped_markup_in_content_encoded_stays_text_and_is_not_decoded_a_second_time()
    {
        // In the feed, the HTML says: show the text "<script>alert(1)</script>". CodeHollow decodes
        // content:encoded twice and would turn that into a live script element.
        var feed = NewsTesting.Rss("""
            <item>
              <title>Sicherheitshinweis</title>
              <link>https://www.kommunal-digital.example/sicherheit</link>
              <content:encoded>&lt;p&gt;Beispiel: &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; &amp;amp; mehr&lt;/p&gt;</content:encoded>
            </item>
            """);

        var item = NewsTesting.Single(_news.Parse(feed));

        Assert.Equal("<p>Beispiel: &lt;script&gt;alert(1)&lt;/script&gt; &amp; mehr</p>", item.ContentHtml);
        Assert.Equal("Beispiel: <script>alert(1)</script> & mehr", item.Summary);
    }

    [Fact]
    public void Atom_html_content_with_a_double_escaped_script_is_sanitised()
    {
        var feed = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id>
              <entry><title>Eintrag</title><id>urn:x:1</id><link href="https://x.example/1"/>
                <content type="html">&lt;p&gt;Hallo&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;&amp;lt;script&amp;gt;alert(2)&amp;lt;/script&amp;gt;</content>
              </entry>
            </feed>
            """;

        var item = NewsTesting.Single(_news.Parse(feed, url: new Uri("https://x.example/feed")));

        Assert.DoesNotContain("onerror", item.ContentHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", item.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", item.ContentHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Titles_authors_and_tags_with_markup_become_plain_text()
    {
        var feed = NewsTesting.Rss("""
            <item>
              <title>&lt;b&gt;Eilmeldung:&lt;/b&gt; WLAN &amp;amp; E-Akte&lt;script&gt;alert(1)&lt;/script&gt;</title>
              <link>https://www.kommunal-digital.example/eil</link>
              <author>presse@muenchen.example (&lt;i&gt;Presseamt&lt;/i&gt;)</author>
              <category>&lt;img src=x onerror=alert(1)&gt;Digitalisierung</category>
            </item>
            """);

        var item = NewsTesting.Single(_news.Parse(feed));

        Assert.Equal("Eilmeldung: WLAN & E-Akte", item.Title);
        Assert.Equal("Presseamt", item.Author);
        Assert.Equal(["Digitalisierung"], item.Tags);
    }

    [Fact]
    public void Items_without_title_link_or_date_are_kept_where_possible_and_skipped_with_a_reason_where_not()
    {
        var feed = NewsTesting.Rss("""
            <item><title>Ohne Link</title><description>Nur Text.</description><pubDate>Tue, 03 Nov 2026 10:00:00 +0100</pubDate></item>
            <item><link>https://www.kommunal-digital.example/ohne-titel</link><description>Der Stadtrat hat heute die neue Digitalstrategie beschlossen. Sie gilt ab Januar.</description></item>
            <item><title>Ohne Datum</title><link>https://www.kommunal-digital.example/ohne-datum</link></item>
            <item><link>https://www.kommunal-digital.example/nur-link</link></item>
            <item><description>   </description></item>
            <item><title>Danach geht es weiter</title><link>https://www.kommunal-digital.example/weiter</link></item>
            """);

        var result = _news.Parse(feed);

        Assert.Null(result.Error);
        Assert.Equal(["Ohne Link", "Der Stadtrat hat heute die neue Digitalstrategie beschlossen. Sie gilt ab Januar.", "Ohne Datum", "Danach geht es weiter"],
            result.Items.Select(i => i.Title));
        var withoutLink = result.Items[0];
        Assert.Null(withoutLink.Link);
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero), withoutLink.Published);
        var withoutDate = result.Items[2];
        Assert.Equal(NewsDateOrigin.FirstSeen, withoutDate.PublishedFrom);
        Assert.Equal(NewsTesting.Now, withoutDate.Published);
        Assert.Collection(result.Skipped,
            s => Assert.Equal((4, "https://www.kommunal-digital.example/nur-link", "no title and no text, only a link"), (s.Position, s.Hint, s.Reason)),
            s => Assert.Equal((5, null, "no title, no link and no text"), (s.Position, s.Hint, s.Reason)));
    }

    [Fact]
    public void A_future_date_is_not_believed()
    {
        var feed = NewsTesting.Rss("""
            <item><title>Aus der Zukunft</title><link>https://x.example/z</link><pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>
            """);

        var item = NewsTesting.Single(_news.Parse(feed));

        Assert.Equal(NewsDateOrigin.FirstSeen, item.PublishedFrom);
        Assert.Equal(NewsTesting.Now, item.Published);
    }

    [Fact]
    public void Stray_control_characters_and_HTML_entities_do_not_break_a_German_feed()
    {
        var feed = NewsTesting.Rss("<item><title>M&uuml;nchen&nbsp;baut\u0001 das WLAN aus &ndash; Stra&szlig;e f&uuml;r Stra&szlig;e</title><link>https://x.example/w</link></item>");

        var item = NewsTesting.Single(_news.Parse(feed));

        Assert.Equal("München baut das WLAN aus – Straße für Straße", item.Title);
    }

    [Fact]
    public void Duplicate_items_in_one_feed_are_kept_once()
    {
        var feed = NewsTesting.Rss("""
            <item><title>Eins</title><guid>a-1</guid><link>https://x.example/1</link></item>
            <item><title>Eins, nochmal</title><guid>a-1</guid><link>https://x.example/1</link></item>
            """);

        var result = _news.Parse(feed);

        Assert.Equal("Eins", Assert.Single(result.Items).Title);
        Assert.Contains("number 1", Assert.Single(result.Skipped).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_JSON_feed_with_broken_items_keeps_the_good_ones()
    {
        var json = """
            {"version":"https://jsonfeed.org/version/1.1","title":"t","items":[
              "kein Objekt",
              {"id":"1","title":{"falsch":"Typ"},"url":"https://x.example/1","content_text":"Text eins"},
              {"title":"Ohne id","url":"https://x.example/2"},
              {"id":"3"}
            ]}
            """;

        var result = _news.Parse(json, "application/feed+json", new Uri("https://x.example/feed.json"));

        Assert.Null(result.Error);
        Assert.Equal(["Text eins", "Ohne id"], result.Items.Select(i => i.Title));
        Assert.Equal("https://x.example/2", result.Items[1].Link);
        Assert.Collection(result.Skipped,
            s => Assert.Equal((1, "the item is a JSON string, not an object"), (s.Position, s.Reason)),
            s => Assert.Equal((4, "no title, no link and no text"), (s.Position, s.Reason)));
    }

    private static string CultureInfo(FormattableString text) => text.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Markup_nested_deeper_than_the_limit_is_kept_as_text_not_parsed()
    {
        // 200,000 nested <div>: an HTML tree walk over it overflows the stack and ends the process.
        var deep = string.Concat(Enumerable.Repeat("<div><b>", 100_000)) + "Text ganz unten<script>alert(1)</script>";
        var feed = NewsTesting.Rss($"<item><title>{deep.Replace("<", "&lt;", StringComparison.Ordinal)}</title><link>https://x.example/tief</link><description><![CDATA[{deep}]]></description></item>");

        var item = NewsTesting.Single(_news.Parse(feed));

        Assert.Equal("<p>Text ganz unten</p>", item.ContentHtml);
        Assert.Equal("Text ganz unten", item.Summary);
        Assert.Equal("Text ganz unten", item.Title);
    }

    [Fact]
    public void Markup_at_a_realistic_depth_is_parsed_as_usual()
    {
        var nested = string.Concat(Enumerable.Repeat("<div>", 100)) + "<p>Tief <em>genug</em></p>" + string.Concat(Enumerable.Repeat("</div>", 100));
        var feed = NewsTesting.Rss($"<item><title>T</title><link>https://x.example/t</link><description><![CDATA[{nested}]]></description></item>");

        Assert.Contains("<p>Tief <em>genug</em></p>", NewsTesting.Single(_news.Parse(feed)).ContentHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(200_000)]
    public void XML_nested_deeper_than_the_limit_is_refused_before_a_tree_is_built(int depth)
    {
        var deep = string.Concat(Enumerable.Repeat("<x>", depth)) + string.Concat(Enumerable.Repeat("</x>", depth));
        var feed = NewsTesting.Rss($"<item><title>T</title><link>https://x.example/1</link>{deep}</item>");

        var result = _news.Parse(feed);

        Assert.Equal(FeedErrorCodes.Structure, result.Error?.Code);
        Assert.Contains("256 levels", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JSON_nested_without_end_is_refused()
    {
        var json = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"id\":\"1\",\"x\":" + new string('[', 100_000) + new string(']', 100_000) + "}]}";

        var result = _news.Parse(json, "application/feed+json");

        Assert.Equal(FeedErrorCodes.InvalidJson, result.Error?.Code);
    }

    [Fact]
    public void A_UTF_8_byte_order_mark_in_front_of_Windows_1252_text_does_not_break_the_feed()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(FeedDecoder.Windows1252.GetBytes(
            NewsTesting.Rss("<item><title>Grüße aus München</title><link>https://x.example/g</link></item>"))).ToArray();

        var result = _news.Parse(body);

        Assert.Equal("Grüße aus München", NewsTesting.Single(result).Title);
        Assert.Contains("byte order mark", result.Feed!.EncodingNote, StringComparison.Ordinal);
    }
}
