using System.Net;
using System.Text;
using System.Xml.Linq;
using CodeHollow.FeedReader.Feeds;
using Radar.Core.News.Normalising;

namespace Radar.Core.News.Reading.Atom;

/// <summary>
/// Atom 1.0 (<c>&lt;feed&gt;</c>), from the root element Radar loaded itself
/// (<see cref="FeedXml"/>). CodeHollow.FeedReader's <see cref="AtomFeed"/> reads ids, dates and
/// categories; text constructs are taken from the raw elements (the library HTML-decodes
/// <c>html</c> a second time and keeps only the text of <c>xhtml</c>), and links are resolved
/// against the xml:base in scope of each link element.
/// </summary>
internal static class AtomFeedReader
{
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";

    public static (RawFeed? Feed, FeedParseError? Error) Read(string text, XElement root, Uri feedUrl)
    {
        var specific = new AtomFeed(text, root);
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
                Title = TextConstruct(element.Element(atom + "title")),
                Link = AlternateLink(element, atom, documentBase)?.AbsoluteUri ?? entry.Link,
                LinkBase = FeedXml.XmlBase(element, documentBase),
                ContentBase = FeedXml.XmlBase(content ?? summary ?? element, documentBase),
                PublishedText = entry.PublishedDateString,
                UpdatedText = entry.UpdatedDateString,
                Author = entry.Author?.Name ?? specific.Author?.Name,
                Categories = [.. entry.Categories ?? []],
                // Out-of-line content (src=…) is a link, not text to show.
                ContentHtml = content?.Attribute("src") is null ? TextConstruct(content) : null,
                SummaryHtml = TextConstruct(summary),
                Language = FeedXml.Lang(element),
            });
        }

        return (new RawFeed(FeedFormat.Atom, TextConstruct(root.Element(atom + "title")), siteLink?.AbsoluteUri ?? feed.Link, FeedXml.Lang(root), specific.Author?.Name, items), null);
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

        var linkBase = FeedXml.XmlBase(best!, documentBase);
        if (Uri.TryCreate(href, UriKind.Absolute, out var absolute) && !(absolute.IsFile && href.StartsWith('/')))
        {
            return absolute;
        }

        return linkBase is not null && Uri.TryCreate(linkBase, href, out var resolved) ? resolved : null;

        static string Rel(XElement link) => ((string?)link.Attribute("rel"))?.Trim().ToLowerInvariant() ?? "alternate";
    }

    /// <summary>An Atom text construct as HTML: <c>html</c> as it is, <c>xhtml</c> from the
    /// raw child elements, <c>text</c> HTML-encoded.</summary>
    private static string? TextConstruct(XElement? element)
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
}
