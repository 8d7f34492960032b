using System.Globalization;
using System.ServiceModel.Syndication;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace Radar.Core.Syndication;

/// <summary>
/// A <see cref="FeedSelection"/> as RSS 2.0, Atom 1.0 (System.ServiceModel.Syndication's
/// formatters, written through an <see cref="XmlWriter"/>) and JSON Feed 1.1
/// (<see cref="Utf8JsonWriter"/>): UTF-8 bytes, ready to send.
/// </summary>
public static class FeedDocuments
{
    public const string RssContentType = "application/rss+xml; charset=utf-8";
    public const string AtomContentType = "application/atom+xml; charset=utf-8";
    public const string JsonFeedContentType = "application/feed+json; charset=utf-8";
    public const string JsonFeedVersion = "https://jsonfeed.org/version/1.1";

    private const string ContentNamespace = "http://purl.org/rss/1.0/modules/content/";
    private const string DublinCoreNamespace = "http://purl.org/dc/elements/1.1/";
    private const string Generator = "Radar";

    public static byte[] Rss(FeedSelection feed, FeedLinks links)
    {
        var syndication = Feed(feed, links, "application/rss+xml", new RssFeed());
        syndication.AttributeExtensions.Add(new XmlQualifiedName("content", XNamespace.Xmlns.NamespaceName), ContentNamespace);
        syndication.AttributeExtensions.Add(new XmlQualifiedName("dc", XNamespace.Xmlns.NamespaceName), DublinCoreNamespace);
        syndication.Items = [.. feed.Entries.Select(e => Item(e, links, rss: true))];
        if (syndication.LastUpdatedTime != default)
        {
            ((RssFeed)syndication).Plain.Add(new("lastBuildDate", null, Rfc822(syndication.LastUpdatedTime)));
            syndication.LastUpdatedTime = default;
        }

        return Write(new Rss20FeedFormatter(syndication, serializeExtensionsAsAtom: true), feed.Entries.Count);
    }

    public static byte[] Atom(FeedSelection feed, FeedLinks links)
    {
        var syndication = Feed(feed, links, "application/atom+xml", new SyndicationFeed());
        syndication.Id = links.Self;
        syndication.Authors.Add(new SyndicationPerson(null, feed.RadarTitle, links.Base.AbsoluteUri));
        syndication.Items = [.. feed.Entries.Select(e => Item(e, links, rss: false))];
        return Write(new Atom10FeedFormatter(syndication), feed.Entries.Count);
    }

    private static SyndicationFeed Feed(FeedSelection feed, FeedLinks links, string mediaType, SyndicationFeed syndication)
    {
        syndication.Title = new TextSyndicationContent(feed.Title);
        syndication.Description = new TextSyndicationContent(feed.Description);
        syndication.Language = "de";
        syndication.Generator = Generator;
        syndication.LastUpdatedTime = feed.Updated;
        syndication.Links.Add(new SyndicationLink(new Uri(links.Alternate)) { RelationshipType = "alternate", MediaType = "text/html" });
        syndication.Links.Add(new SyndicationLink(new Uri(links.Self)) { RelationshipType = "self", MediaType = mediaType });
        if (links.Hub is { } hub)
        {
            // WebSub discovery (RSS: as atom:link, which the formatter writes for every link but the first alternate).
            syndication.Links.Add(new SyndicationLink(new Uri(hub)) { RelationshipType = "hub" });
        }

        return syndication;
    }

    private static SyndicationItem Item(FeedEntry entry, FeedLinks links, bool rss)
    {
        var item = rss ? new RssItem() : new SyndicationItem();
        // RSS: the guid as it is (isPermaLink="false"); Atom: an IRI that never changes.
        item.Id = rss ? entry.Id : links.TagId(entry.Type, entry.Id);
        item.Title = new TextSyndicationContent(entry.Title);
        item.Summary = new TextSyndicationContent(entry.Summary);

        if (rss)
        {
            ((RssItem)item).Plain.Add(new("pubDate", null, Rfc822(entry.Date)));
        }
        else
        {
            item.PublishDate = entry.Date;
            item.LastUpdatedTime = entry.Date;
        }

        item.Links.Add(new SyndicationLink(new Uri(links.Absolute(entry.Url))) { RelationshipType = "alternate", MediaType = entry.News is null ? "text/html" : null });
        foreach (var category in entry.Categories)
        {
            item.Categories.Add(new SyndicationCategory(category.Label, null, rss ? null : category.Label));
        }

        if (entry.News is { } news)
        {
            if (!rss)
            {
                foreach (var measure in news.RelatedMeasures)
                {
                    item.Links.Add(new SyndicationLink(new Uri(links.Absolute(measure.Url))) { RelationshipType = "related", Title = measure.Title, MediaType = "text/html" });
                }

                item.Authors.Add(new SyndicationPerson(null, news.Author ?? string.Join(", ", news.Sources.Select(s => s.Name)), null));
                if (entry.ContentHtml is { } html)
                {
                    item.Content = SyndicationContent.CreateHtmlContent(html);
                }
            }
            else
            {
                if (entry.ContentHtml is { } html)
                {
                    ((RssItem)item).Plain.Add(new("encoded", ContentNamespace, html));
                }

                if (news.Author is { } author)
                {
                    ((RssItem)item).Plain.Add(new("creator", DublinCoreNamespace, author));
                }
            }

            if (news.Sources.Count > 0)
            {
                var source = news.Sources[0];
                var sourceFeed = new SyndicationFeed { Title = new TextSyndicationContent(string.Join(", ", news.Sources.Select(s => s.Name))) };
                sourceFeed.Links.Add(new SyndicationLink(new Uri(links.Absolute("/api/news?source=" + Uri.EscapeDataString(source.Id)))));
                item.SourceFeed = sourceFeed;
            }
        }

        return item;
    }

    /// <summary>
    /// An RSS date (RFC 822 as RSS 2.0 profiles it) in UTC with the numeric zone <c>+0000</c>.
    /// <see cref="Rss20FeedFormatter"/> writes a UTC date with the zone <c>Z</c>, which RFC 822
    /// lists among the military zones that RFC 1123 says to read as unknown; so RSS dates are
    /// written as plain elements instead. UTC rather than the Europe/Berlin offset: one instant has
    /// one spelling, nothing depends on the host's time zone data (without it the offset would be
    /// zero and the date as before), and feed readers show every date in their reader's zone anyway.
    /// </summary>
    internal static string Rfc822(DateTimeOffset date) =>
        date.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    /// <summary>An RSS element the formatter does not write itself (pubDate, lastBuildDate,
    /// content:encoded, dc:creator): plain text in an element.</summary>
    private sealed record PlainElement(string Name, string? Namespace, string Value);

    // Such elements as element extensions (from an XElement) went through DataContractSerializer,
    // a fifth of writing a feed; the library's own extension point writes them directly instead.
    private sealed class RssFeed : SyndicationFeed
    {
        public List<PlainElement> Plain { get; } = [];

        protected override void WriteElementExtensions(XmlWriter writer, string version)
        {
            base.WriteElementExtensions(writer, version);
            WritePlain(writer, Plain);
        }
    }

    private sealed class RssItem : SyndicationItem
    {
        public List<PlainElement> Plain { get; } = [];

        protected override void WriteElementExtensions(XmlWriter writer, string version)
        {
            base.WriteElementExtensions(writer, version);
            WritePlain(writer, Plain);
        }
    }

    private static void WritePlain(XmlWriter writer, List<PlainElement> elements)
    {
        foreach (var element in elements)
        {
            writer.WriteElementString(element.Name, element.Namespace, element.Value);
        }
    }

    private static byte[] Write(SyndicationFeedFormatter formatter, int entries)
    {
        // Sized for a typical entry, so the buffer rarely grows while the feed is written.
        using var stream = new MemoryStream(4096 + (entries * 1536));
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false };
        using (var writer = XmlWriter.Create(stream, settings))
        {
            formatter.WriteTo(writer);
        }

        return stream.ToArray();
    }

    /// <summary>JSON Feed 1.1; what RSS and Atom cannot say (change kind, labels, fields,
    /// sources, related measures) is under the <c>_radar</c> extension of feed and items.</summary>
    public static byte[] JsonFeed(FeedSelection feed, FeedLinks links)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("version", JsonFeedVersion);
            json.WriteString("title", feed.Title);
            json.WriteString("home_page_url", links.Alternate);
            json.WriteString("feed_url", links.Self);
            if (links.Hub is { } hub)
            {
                json.WriteStartArray("hubs");
                json.WriteStartObject();
                json.WriteString("type", "WebSub");
                json.WriteString("url", hub);
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteString("description", feed.Description);
            json.WriteString("language", "de");
            json.WriteStartArray("authors");
            json.WriteStartObject();
            json.WriteString("name", feed.RadarTitle);
            json.WriteString("url", links.Base.AbsoluteUri);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject("_radar");
            json.WriteString("about", links.Absolute("/api/openapi.json"));
            json.WriteString("radar", feed.RadarId);
            json.WriteString("query", feed.Request.Canonical());
            json.WriteEndObject();
            json.WriteStartArray("items");
            foreach (var entry in feed.Entries)
            {
                WriteItem(json, entry, links);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteItem(Utf8JsonWriter json, FeedEntry entry, FeedLinks links)
    {
        json.WriteStartObject();
        json.WriteString("id", entry.Id);
        json.WriteString("url", links.Absolute(entry.Url));
        json.WriteString("title", entry.Title);
        if (entry.ContentHtml is { } html)
        {
            json.WriteString("content_html", html);
        }
        else
        {
            json.WriteString("content_text", entry.Summary);
        }

        json.WriteString("summary", entry.Summary);
        json.WriteString("date_published", entry.Date.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        if (entry.Categories.Count > 0)
        {
            json.WriteStartArray("tags");
            foreach (var label in entry.Categories.Select(c => c.Label).Distinct(StringComparer.Ordinal))
            {
                json.WriteStringValue(label);
            }

            json.WriteEndArray();
        }

        if (entry.News is { } news && (news.Author ?? (news.Sources.Count > 0 ? news.Sources[0].Name : null)) is { } author)
        {
            json.WriteStartArray("authors");
            json.WriteStartObject();
            json.WriteString("name", author);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WritePropertyName("_radar");
        var extension = new
        {
            type = entry.Type,
            radar = entry.Radar,
            measure = entry.Measure is { } m ? new { m.Id, m.Title, Url = links.Absolute(m.Url) } : null,
            change = entry.Change,
            categories = entry.Categories,
            sources = entry.News?.Sources,
            relatedMeasures = entry.News?.RelatedMeasures.Select(r => new { r.Id, r.Title, Url = links.Absolute(r.Url) }),
            edition = entry.Edition,
        };
        JsonSerializer.Serialize(json, extension, ExtensionJson);
        json.WriteEndObject();
    }

    private static readonly JsonSerializerOptions ExtensionJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
