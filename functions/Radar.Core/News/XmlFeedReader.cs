using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using CodeHollow.FeedReader.Feeds;

namespace Radar.Core.News;

/// <summary>
/// Reads RSS 0.91/0.92/2.0, Media RSS, RDF (RSS 1.0) and Atom. The XML is loaded here, by an
/// <see cref="XmlReader"/> that prohibits DTDs (no external entities, no entity expansion), has
/// no resolver and a character cap; CodeHollow.FeedReader's public feed classes then read the
/// root element, chosen by its name as the library's own parser does. Its string and byte entry
/// points are never used: they parse DTDs and expand entities. What the library gets wrong is
/// taken from the raw elements instead: content (it HTML-decodes a second time), Atom xhtml
/// (it keeps only the text), xml:base (it ignores it), dates (it reads them by the current culture).
/// </summary>
internal static partial class XmlFeedReader
{
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";

    /// <summary>Elements nested deeper than this refuse the feed. Building an XDocument takes time
    /// quadratic in the depth (1 s at 20,000 levels, 16 s at 60,000), a plain reader pass does not;
    /// real feeds, Atom xhtml content included, stay within a few dozen levels.</summary>
    public const int MaxDepth = 256;

    public static (RawFeed? Feed, FeedParseError? Error) Read(string text, Uri feedUrl, int maxCharacters, string? mediaType)
    {
        var (document, error) = Load(text, maxCharacters, mediaType);
        if (document?.Root is not { } root)
        {
            return (null, error);
        }

        var name = root.Name.LocalName;
        try
        {
            if (name.Equals("rss", StringComparison.OrdinalIgnoreCase))
            {
                var channel = root.Elements().FirstOrDefault(e => e.Name.LocalName == "channel");
                if (channel is null)
                {
                    return (null, new(FeedErrorCodes.Structure, "The RSS document has no <channel> element."));
                }

                var version = ((string?)root.Attribute("version"))?.Trim() ?? "";
                BaseFeed feed = version switch
                {
                    "0.91" => new Rss091Feed(text, channel),
                    "0.92" => new Rss092Feed(text, channel),
                    "2.0" when root.Attribute(XNamespace.Xmlns + "media") is not null => new MediaRssFeed(text, channel),
                    _ => new Rss20Feed(text, channel),
                };
                return (FromRss(feed, channel, feedUrl), null);
            }

            if (name.Equals("rdf", StringComparison.OrdinalIgnoreCase))
            {
                var channel = root.Elements().FirstOrDefault(e => e.Name.LocalName == "channel");
                if (channel is null)
                {
                    return (null, new(FeedErrorCodes.Structure, "The RDF document has no <channel> element."));
                }

                return (FromRdf(new Rss10Feed(text, channel), channel, feedUrl), null);
            }

            if (name.Equals("feed", StringComparison.OrdinalIgnoreCase))
            {
                return (FromAtom(new AtomFeed(text, root), root, feedUrl), null);
            }
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or ArgumentException or FormatException or XmlException)
        {
            return (null, new(FeedErrorCodes.Structure, $"The {name} document could not be read as a feed: {ex.Message}"));
        }

        return name.Equals("html", StringComparison.OrdinalIgnoreCase)
            ? (null, new(FeedErrorCodes.Html, "The body is an HTML page (root element <html>), not a feed."))
            : (null, new(FeedErrorCodes.NotAFeed, $"The root element <{Shorten(root.Name.LocalName)}> is not RSS (<rss>), RDF (<rdf:RDF>) or Atom (<feed>)."));
    }

    private static (XDocument? Document, FeedParseError? Error) Load(string text, int maxCharacters, string? mediaType)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            // The text was measured against the cap already; this is the backstop. Numeric
            // references written for HTML entities may make it a little longer.
            MaxCharactersInDocument = 2L * maxCharacters,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        var prepared = ReplaceHtmlEntities(RemoveControlCharacters(text));
        if (HtmlStartRegex().IsMatch(prepared.AsSpan(0, Math.Min(prepared.Length, 4096))))
        {
            return (null, HtmlPage(mediaType));
        }

        try
        {
            // First a pass that builds nothing: well-formedness, DTDs and depth are checked
            // before any tree is built.
            using (var scan = XmlReader.Create(new StringReader(prepared), settings))
            {
                while (scan.Read())
                {
                    if (scan.Depth > MaxDepth)
                    {
                        var line = ((IXmlLineInfo)scan).LineNumber;
                        return (null, new(FeedErrorCodes.Structure, $"The feed nests elements more than {MaxDepth} levels deep (line {line})."));
                    }
                }
            }

            using var reader = XmlReader.Create(new StringReader(prepared), settings);
            return (XDocument.Load(reader), null);
        }
        catch (XmlException ex)
        {
            // "<!D" is where the reader decides it is looking at a DTD (even a disguised one).
            var doctype = prepared.IndexOf("<!D", StringComparison.OrdinalIgnoreCase);
            var firstElement = FirstElementRegex().Match(prepared);
            if (doctype >= 0 && (!firstElement.Success || doctype < firstElement.Index))
            {
                return (null, new(FeedErrorCodes.Dtd,
                    $"The feed declares a DTD (<!DOCTYPE …> at line {LineOf(prepared, doctype)}). DTDs are refused: their entities can read local files or expand without bound."));
            }

            if (mediaType is "text/html")
            {
                return (null, HtmlPage(mediaType));
            }

            return (null, new(FeedErrorCodes.InvalidXml, $"The feed is not well-formed XML: {ex.Message}"));
        }
    }

    private static FeedParseError HtmlPage(string? mediaType) =>
        new(FeedErrorCodes.Html, $"The body is an HTML page{(mediaType is null ? "" : $" (Content-Type {mediaType})")}, not a feed.");

    private static RawFeed FromRss(BaseFeed specific, XElement channel, Uri feedUrl)
    {
        var feed = specific.ToFeed();
        var documentBase = CanonicalLink.HttpBase(feedUrl, Absolute(feed.Link));
        var format = specific switch
        {
            MediaRssFeed => FeedFormat.MediaRss,
            Rss092Feed => FeedFormat.Rss092,
            Rss091Feed => FeedFormat.Rss091,
            _ => FeedFormat.Rss20,
        };
        var items = new List<RawFeedItem>(feed.Items.Count);
        foreach (var item in feed.Items)
        {
            var element = item.SpecificItem.Element;
            var (guid, author, published, categories) = item.SpecificItem switch
            {
                Rss20FeedItem rss => (rss.Guid, rss.Author ?? rss.DC?.Creator, rss.PublishingDateString ?? rss.DC?.DateString, rss.Categories),
                MediaRssFeedItem media => (media.Guid, media.Author ?? media.DC?.Creator, media.PublishingDateString ?? media.DC?.DateString, media.Categories),
                Rss092FeedItem rss092 => (null, null, rss092.PublishingDateString, rss092.Categories),
                Rss091FeedItem rss091 => ((string?)null, (string?)null, rss091.PublishingDateString, (ICollection<string>?)null),
                _ => (item.Id, item.Author, item.PublishingDateString, item.Categories),
            };
            var link = item.Link;
            if (string.IsNullOrWhiteSpace(link) && guid is not null
                && !string.Equals((string?)element.Elements().FirstOrDefault(e => e.Name.LocalName == "guid")?.Attribute("isPermaLink"), "false", StringComparison.OrdinalIgnoreCase))
            {
                link = guid; // a permalink guid is the item's link when <link> is missing
            }

            var itemBase = XmlBase(element, documentBase);
            items.Add(new RawFeedItem
            {
                Id = guid,
                Title = item.Title,
                Link = link,
                LinkBase = itemBase,
                ContentBase = itemBase,
                PublishedText = published,
                UpdatedText = null,
                Author = RssAuthor(author ?? (string?)element.Element(Dc + "creator")),
                Categories = [.. categories ?? [], .. element.Elements(Dc + "subject").Select(e => e.Value)],
                ContentHtml = (string?)element.Element(Content + "encoded"),
                SummaryHtml = element.Elements().FirstOrDefault(e => e.Name.LocalName == "description")?.Value,
                Language = (string?)element.Element(Dc + "language"),
            });
        }

        return new RawFeed(format, feed.Title, feed.Link, feed.Language ?? (string?)channel.Element(Dc + "language"), null, items);
    }

    private static RawFeed FromRdf(Rss10Feed specific, XElement channel, Uri feedUrl)
    {
        var feed = specific.ToFeed();
        var documentBase = CanonicalLink.HttpBase(feedUrl, Absolute(feed.Link));
        var items = new List<RawFeedItem>(feed.Items.Count);
        foreach (var item in feed.Items)
        {
            var rdf = (Rss10FeedItem)item.SpecificItem;
            var element = rdf.Element;
            var itemBase = XmlBase(element, documentBase);
            items.Add(new RawFeedItem
            {
                Id = string.IsNullOrWhiteSpace(rdf.About) ? null : rdf.About,
                Title = item.Title,
                Link = item.Link,
                LinkBase = itemBase,
                ContentBase = itemBase,
                PublishedText = rdf.DC?.DateString,
                Author = rdf.DC?.Creator,
                Categories = [.. element.Elements(Dc + "subject").Select(e => e.Value)],
                ContentHtml = (string?)element.Element(Content + "encoded"),
                SummaryHtml = rdf.Description,
                Language = rdf.DC?.Language,
            });
        }

        return new RawFeed(FeedFormat.Rdf, feed.Title, feed.Link, feed.Language ?? (string?)channel.Element(Dc + "language"), null, items);
    }

    private static RawFeed FromAtom(AtomFeed specific, XElement root, Uri feedUrl)
    {
        var feed = specific.ToFeed();
        var atom = root.Name.Namespace;
        var documentBase = CanonicalLink.HttpBase(feedUrl);
        var siteLink = AlternateLink(root, atom, documentBase);
        documentBase ??= CanonicalLink.HttpBase(siteLink);
        var items = new List<RawFeedItem>(feed.Items.Count);
        foreach (var item in feed.Items)
        {
            var entry = (AtomFeedItem)item.SpecificItem;
            var element = entry.Element;
            var content = element.Element(atom + "content");
            var summary = element.Element(atom + "summary");
            items.Add(new RawFeedItem
            {
                Id = entry.Id,
                Title = AtomText(element.Element(atom + "title")),
                Link = AlternateLink(element, atom, documentBase)?.AbsoluteUri ?? entry.Link,
                LinkBase = XmlBase(element, documentBase),
                ContentBase = XmlBase(content ?? summary ?? element, documentBase),
                PublishedText = entry.PublishedDateString,
                UpdatedText = entry.UpdatedDateString,
                Author = entry.Author?.Name ?? specific.Author?.Name,
                Categories = [.. entry.Categories ?? []],
                // Out-of-line content (src=…) is a link, not text to show.
                ContentHtml = content?.Attribute("src") is null ? AtomText(content) : null,
                SummaryHtml = AtomText(summary),
                Language = Lang(element),
            });
        }

        return new RawFeed(FeedFormat.Atom, AtomText(root.Element(atom + "title")), siteLink?.AbsoluteUri ?? feed.Link, Lang(root), specific.Author?.Name, items);
    }

    /// <summary>The entry's or feed's alternate link, resolved against the xml:base in scope of
    /// the link element itself.</summary>
    private static Uri? AlternateLink(XElement parent, XNamespace atom, Uri? documentBase)
    {
        var links = parent.Elements(atom + "link").ToList();
        var best = links.FirstOrDefault(l => Rel(l) == "alternate" && ((string?)l.Attribute("type"))?.Contains("html", StringComparison.OrdinalIgnoreCase) != false)
            ?? links.FirstOrDefault(l => Rel(l) == "alternate")
            ?? links.FirstOrDefault(l => Rel(l) is not ("self" or "edit" or "enclosure" or "replies" or "hub"));
        var href = ((string?)best?.Attribute("href"))?.Trim();
        if (string.IsNullOrEmpty(href))
        {
            return null;
        }

        var linkBase = XmlBase(best!, documentBase);
        if (Uri.TryCreate(href, UriKind.Absolute, out var absolute) && !(absolute.IsFile && href.StartsWith('/')))
        {
            return absolute;
        }

        return linkBase is not null && Uri.TryCreate(linkBase, href, out var resolved) ? resolved : null;

        static string Rel(XElement link) => ((string?)link.Attribute("rel"))?.Trim().ToLowerInvariant() ?? "alternate";
    }

    /// <summary>An Atom text construct as HTML: <c>html</c> as it is, <c>xhtml</c> from the
    /// raw child elements, <c>text</c> HTML-encoded.</summary>
    private static string? AtomText(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var type = ((string?)element.Attribute("type"))?.Trim().ToLowerInvariant() ?? "text";
        if (type is "xhtml" or "application/xhtml+xml")
        {
            var container = element.Elements().FirstOrDefault(e => e.Name.LocalName == "div" && (e.Name.Namespace == Xhtml || e.Name.Namespace == XNamespace.None))
                ?? element;
            return SerializeWithoutNamespaces(container.Nodes());
        }

        return type is "html" or "text/html"
            ? element.Value
            : WebUtility.HtmlEncode(element.Value);
    }

    private static string SerializeWithoutNamespaces(IEnumerable<XNode> nodes)
    {
        var html = new StringBuilder();
        foreach (var node in nodes)
        {
            if (node is XElement element)
            {
                var copy = new XElement(element);
                foreach (var e in copy.DescendantsAndSelf())
                {
                    e.Name = e.Name.LocalName;
                    e.Attributes().Where(a => a.IsNamespaceDeclaration || a.Name.Namespace != XNamespace.None).Remove();
                }

                html.Append(copy.ToString(SaveOptions.DisableFormatting));
            }
            else if (node is XText text)
            {
                html.Append(WebUtility.HtmlEncode(text.Value));
            }
        }

        return html.ToString();
    }

    /// <summary>The base URI in scope for <paramref name="element"/>: every xml:base from the root
    /// down, each resolved against the one outside it, starting at <paramref name="documentBase"/>.</summary>
    internal static Uri? XmlBase(XElement element, Uri? documentBase)
    {
        var current = documentBase;
        foreach (var ancestor in element.AncestorsAndSelf().Reverse())
        {
            var value = ((string?)ancestor.Attribute(XNamespace.Xml + "base"))?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (Uri.TryCreate(value, UriKind.Absolute, out var absolute) && !(absolute.IsFile && value.StartsWith('/')))
            {
                current = absolute;
            }
            else if (current is not null && Uri.TryCreate(current, value, out var resolved))
            {
                current = resolved;
            }
        }

        return CanonicalLink.HttpBase(current) ?? documentBase;
    }

    private static string? Lang(XElement element) =>
        (string?)element.AncestorsAndSelf().Select(e => e.Attribute(XNamespace.Xml + "lang")).FirstOrDefault(a => a is not null);

    /// <summary>RSS authors are e-mail addresses, often with the name in brackets:
    /// <c>redaktion@example.org (Presseamt)</c> → <c>Presseamt</c>.</summary>
    private static string? RssAuthor(string? author)
    {
        if (string.IsNullOrWhiteSpace(author))
        {
            return null;
        }

        var match = author.Length > 300 ? Match.Empty : MailWithNameRegex().Match(author.Trim());
        return match.Success ? match.Groups["name"].Value : author;
    }

    private static Uri? Absolute(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) ? uri : null;

    private static string RemoveControlCharacters(string text)
    {
        // Stray C0 controls are common in feeds and fatal to XML; they carry nothing.
        if (!text.AsSpan().ContainsAnyInRange('\u0000', '\u0008') && !text.AsSpan().ContainsAnyInRange('\u000B', '\u001F'))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c >= 0x20 || c is '\t' or '\n' or '\r')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>HTML named entities (<c>&amp;auml;</c>, <c>&amp;nbsp;</c>) are not XML; without a DTD
    /// they break the document. They become numeric references, which XML knows.</summary>
    private static string ReplaceHtmlEntities(string text) =>
        !text.Contains('&', StringComparison.Ordinal) ? text : NamedEntityRegex().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            if (name is "amp" or "lt" or "gt" or "quot" or "apos")
            {
                return match.Value;
            }

            var decoded = WebUtility.HtmlDecode(match.Value);
            if (decoded == match.Value)
            {
                return match.Value; // unknown: the XML reader will say so
            }

            var numeric = new StringBuilder();
            foreach (var rune in decoded.EnumerateRunes())
            {
                numeric.Append("&#").Append(rune.Value).Append(';');
            }

            return numeric.ToString();
        });

    private static int LineOf(string text, int index)
    {
        var line = 1;
        for (var i = text.IndexOf('\n'); i >= 0 && i < index; i = text.IndexOf('\n', i + 1))
        {
            line++;
        }

        return line;
    }

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";

    [GeneratedRegex("&([A-Za-z][A-Za-z0-9]{1,31});")]
    private static partial Regex NamedEntityRegex();

    [GeneratedRegex(@"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex HtmlStartRegex();

    [GeneratedRegex("<[A-Za-z_]")]
    private static partial Regex FirstElementRegex();

    [GeneratedRegex(@"^\S+@\S+\s*\((?<name>[^)]+)\)$")]
    private static partial Regex MailWithNameRegex();
}
