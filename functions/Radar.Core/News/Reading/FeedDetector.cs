using System.Xml.Linq;
using Radar.Core.News.Normalising;

namespace Radar.Core.News.Reading;

/// <summary>What a body turned out to be, as far as choosing a reader goes.</summary>
public enum FeedSyntax
{
    /// <summary>A JSON object: JSON Feed, if anything.</summary>
    Json,

    /// <summary>Markup: RSS, RDF or Atom, if anything.</summary>
    Xml,
}

/// <summary>Which kind of XML feed a root element starts.</summary>
public enum XmlFeedKind
{
    /// <summary><c>&lt;rss&gt;</c>: RSS 0.9x, 2.0, Media RSS.</summary>
    Rss,

    /// <summary><c>&lt;rdf:RDF&gt;</c>: RSS 1.0.</summary>
    Rdf,

    /// <summary><c>&lt;feed&gt;</c>: Atom.</summary>
    Atom,
}

/// <summary>
/// Detects the format before anything is parsed: by the first character of the decoded text
/// (and the media type when that says HTML), then for XML by the root element's name, as
/// CodeHollow.FeedReader's own parser chooses its feed class.
/// </summary>
public static class FeedDetector
{
    public static (FeedSyntax? Syntax, FeedParseError? Error) Syntax(string text, string? mediaType) => text switch
    {
        "" => (null, new(FeedErrorCodes.Empty, "The body is empty.")),
        ['{', ..] => (FeedSyntax.Json, null),
        ['[', ..] => (null, new(FeedErrorCodes.NotAFeed, "The body is a JSON array; a JSON Feed is an object.")),
        ['<', ..] => (FeedSyntax.Xml, null),
        _ when mediaType is "text/html" => (null, new(FeedErrorCodes.Html, "The body is an HTML page (Content-Type text/html), not a feed.")),
        _ => (null, new(FeedErrorCodes.NotAFeed, $"The body is neither XML nor JSON: it starts with \"{Preview(text)}\".")),
    };

    public static (XmlFeedKind? Kind, FeedParseError? Error) Kind(XElement root)
    {
        var name = root.Name.LocalName;
        if (name.Equals("rss", StringComparison.OrdinalIgnoreCase))
        {
            return (XmlFeedKind.Rss, null);
        }

        if (name.Equals("rdf", StringComparison.OrdinalIgnoreCase))
        {
            return (XmlFeedKind.Rdf, null);
        }

        if (name.Equals("feed", StringComparison.OrdinalIgnoreCase))
        {
            return (XmlFeedKind.Atom, null);
        }

        return name.Equals("html", StringComparison.OrdinalIgnoreCase)
            ? (null, new(FeedErrorCodes.Html, "The body is an HTML page (root element <html>), not a feed."))
            : (null, new(FeedErrorCodes.NotAFeed, $"The root element <{Shorten(name)}> is not RSS (<rss>), RDF (<rdf:RDF>) or Atom (<feed>)."));
    }

    private static string Preview(string text) =>
        NewsHtml.Shorten(NewsHtml.CollapseWhitespace(text.Length > 200 ? text[..200] : text), 40);

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
