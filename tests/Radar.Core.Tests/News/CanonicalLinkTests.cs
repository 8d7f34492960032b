using Radar.Core.News.Normalising;

namespace Radar.Core.Tests.News;

public class CanonicalLinkTests
{
    private static readonly Uri Base = new("https://www.kommunal-digital.example/rubrik/feed.rss");

    [Theory]
    [InlineData("https://www.kommunal-digital.example/a", "https://www.kommunal-digital.example/a")]
    [InlineData("/meldungen/x", "https://www.kommunal-digital.example/meldungen/x")]
    [InlineData("meldung-7", "https://www.kommunal-digital.example/rubrik/meldung-7")]
    [InlineData("../archiv/7", "https://www.kommunal-digital.example/archiv/7")]
    [InlineData("//cdn.example/bild", "https://cdn.example/bild")]
    [InlineData("https://x.example/a?utm_source=rss&utm_medium=feed&id=7&UTM_Campaign=x", "https://x.example/a?id=7")]
    [InlineData("https://x.example/a?utm_source=rss", "https://x.example/a")]
    [InlineData("https://x.example/a?b=2&fbclid=abc&a=1&gclid=x", "https://x.example/a?b=2&a=1")]
    [InlineData("https://x.example/a#kommentare", "https://x.example/a")]
    [InlineData("https://x.example/a?utm_term=x#top", "https://x.example/a")]
    [InlineData("HTTPS://X.Example:443/Pfad", "https://x.example/Pfad")]
    [InlineData("http://x.example:80/a", "http://x.example/a")]
    [InlineData("http://x.example:8080/a", "http://x.example:8080/a")]
    [InlineData("https://user:pass@x.example/a", "https://x.example/a")]
    [InlineData("  https://x.example/a\n ", "https://x.example/a")]
    [InlineData("https://x.example/m\u00fcnchen", "https://x.example/m%C3%BCnchen")]
    public void Links_are_made_absolute_and_canonical(string raw, string expected)
    {
        Assert.Equal(expected, CanonicalLink.From(raw, Base));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("javascript:alert(1)")]
    [InlineData(" JavaScript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("file:///etc/passwd")]
    [InlineData("mailto:presse@muenchen.example")]
    [InlineData("ftp://x.example/datei")]
    [InlineData("http://")]
    public void Links_that_are_not_web_pages_are_dropped(string? raw)
    {
        Assert.Null(CanonicalLink.From(raw, Base));
    }

    [Fact]
    public void A_relative_link_without_a_web_base_is_dropped()
    {
        Assert.Null(CanonicalLink.From("/meldungen/x", new Uri("file:///srv/feeds/feed.rss")));
        Assert.Null(CanonicalLink.From("/meldungen/x", null));
    }
}
