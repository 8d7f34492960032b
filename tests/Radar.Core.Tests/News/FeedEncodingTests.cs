using System.Text;
using Radar.Core.News.Reading;

namespace Radar.Core.Tests.News;

/// <summary>German feeds in every encoding they come in keep their umlauts.</summary>
public class FeedEncodingTests
{
    private const string Title = "Bürgerbüro: „Öffnungszeiten“ – 5 € Gebühr für Straßenausweise";

    private static readonly Encoding Windows1252 = FeedDecoder.Windows1252;

    private readonly NewsTesting _news = new();

    private static string Feed(string? declared) => NewsTesting.Rss($"<item><title>{Title}</title><link>https://x.example/1</link></item>")
        .Replace("encoding=\"utf-8\"", declared is null ? "" : $"encoding=\"{declared}\"", StringComparison.Ordinal);

    [Theory]
    [InlineData("windows-1252", null)]
    [InlineData("windows-1252", "text/xml; charset=windows-1252")]
    [InlineData("ISO-8859-1", null)]          // the usual label: read as Windows-1252, which has „“ – €
    [InlineData("iso-8859-1", "application/rss+xml; charset=\"ISO-8859-1\"")]
    [InlineData(null, "text/xml; charset=cp1252")]
    public void Windows_1252_declared_in_the_prolog_or_by_HTTP_keeps_umlauts(string? prolog, string? contentType)
    {
        var result = _news.Parse(Windows1252.GetBytes(Feed(prolog)), contentType);

        Assert.Equal(Title, NewsTesting.Single(result).Title);
        Assert.Equal("windows-1252", result.Feed!.Encoding);
        Assert.Null(result.Feed.EncodingNote);
    }

    [Theory]
    [InlineData("utf-8", null)]
    [InlineData("utf-8", "text/xml; charset=utf-8")]
    [InlineData(null, "application/xml; charset=UTF-8")]
    [InlineData(null, null)]
    public void A_body_declared_UTF_8_but_written_in_Windows_1252_is_read_as_Windows_1252(string? prolog, string? contentType)
    {
        var result = _news.Parse(Windows1252.GetBytes(Feed(prolog)), contentType);

        Assert.Equal(Title, NewsTesting.Single(result).Title);
        Assert.Equal("windows-1252", result.Feed!.Encoding);
        Assert.Contains("not valid UTF-8", result.Feed.EncodingNote, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ISO-8859-1", "text/xml; charset=iso-8859-1")]
    [InlineData("windows-1252", null)]
    [InlineData(null, "text/xml; charset=iso-8859-1")]
    public void A_UTF_8_body_labelled_as_a_single_byte_encoding_is_read_as_UTF_8(string? prolog, string? contentType)
    {
        var result = _news.Parse(Encoding.UTF8.GetBytes(Feed(prolog)), contentType);

        Assert.Equal(Title, NewsTesting.Single(result).Title);
        Assert.Equal("utf-8", result.Feed!.Encoding);
        Assert.Contains("valid UTF-8", result.Feed.EncodingNote, StringComparison.Ordinal);
    }

    [Fact]
    public void A_byte_order_mark_wins_over_a_wrong_label()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Feed("windows-1252"))).ToArray();

        var result = _news.Parse(body, "text/xml; charset=iso-8859-1");

        Assert.Equal(Title, NewsTesting.Single(result).Title);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public void UTF_16_is_read_from_its_BOM_or_its_declaration(bool bigEndian, bool withBom)
    {
        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: false);
        var body = (withBom ? encoding.GetBytes("\uFEFF") : []).Concat(encoding.GetBytes(Feed("UTF-16"))).ToArray();

        var result = _news.Parse(body, null);

        Assert.Equal(Title, NewsTesting.Single(result).Title);
    }

    [Fact]
    public void An_unknown_charset_label_is_ignored()
    {
        var result = _news.Parse(Encoding.UTF8.GetBytes(Feed("x-klingon")), "text/xml; charset=x-klingon");

        Assert.Equal(Title, NewsTesting.Single(result).Title);
    }

    [Fact]
    public void A_JSON_feed_with_a_wrong_charset_header_is_read_as_UTF_8()
    {
        var json = $$"""{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","title":"{{Title}}","url":"https://x.example/1"}]}""";

        var result = _news.Parse(Encoding.UTF8.GetBytes(json), "application/feed+json; charset=iso-8859-1");

        Assert.Equal(Title, NewsTesting.Single(result).Title);
    }
}
