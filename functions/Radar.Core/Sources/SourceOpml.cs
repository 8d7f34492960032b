using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Radar.Core.Sources;

/// <summary>One feed an OPML document names.</summary>
public sealed record OpmlFeed(string XmlUrl, string? Title, string? Id);

/// <summary>An OPML document that cannot be imported, with the reason.</summary>
public sealed class OpmlException(string message) : Exception(message);

/// <summary>
/// OPML 2.0, the subscription list every feed reader exports and imports. Writing goes through
/// <see cref="XmlWriter"/>; reading takes untrusted bytes, so DTDs are refused (no entity
/// expansion, no external entities), nothing is resolved, and the size is capped before parsing.
/// </summary>
public static class SourceOpml
{
    public const string ContentType = "text/x-opml";

    /// <summary>Largest OPML document accepted for import.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Most feeds one import may name; each costs a DNS lookup.</summary>
    public const int MaxFeeds = 1000;

    /// <summary>Radar's own attributes (the source id), in a namespace as OPML 2.0 asks of extensions.</summary>
    public const string Namespace = "urn:radar:opml";

    public static byte[] Write(IEnumerable<Source> sources, string title, DateTimeOffset created)
    {
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("opml");
            xml.WriteAttributeString("version", "2.0");
            xml.WriteAttributeString("xmlns", "radar", null, Namespace);
            xml.WriteStartElement("head");
            xml.WriteElementString("title", title);
            xml.WriteElementString("dateCreated", created.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture));
            xml.WriteEndElement();
            xml.WriteStartElement("body");
            foreach (var source in sources)
            {
                var name = source.Name ?? source.Id;
                xml.WriteStartElement("outline");
                xml.WriteAttributeString("type", "rss");
                xml.WriteAttributeString("text", name);
                xml.WriteAttributeString("title", name);
                xml.WriteAttributeString("xmlUrl", source.Url);
                xml.WriteAttributeString("id", Namespace, source.Id);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    /// <summary>Every outline with an <c>xmlUrl</c>, however deep in folders, in document order.</summary>
    /// <exception cref="OpmlException">Not XML, a DTD, too large, not OPML, or too many feeds.</exception>
    public static IReadOnlyList<OpmlFeed> Read(ReadOnlyMemory<byte> document)
    {
        if (document.Length > MaxBytes)
        {
            throw new OpmlException($"The OPML document is larger than {MaxBytes / 1024 / 1024} MB.");
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = MaxBytes * 2L,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
        };

        XDocument xml;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(document.ToArray(), writable: false), settings);
            xml = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw new OpmlException("The document has a DTD (<!DOCTYPE …>); OPML needs none, and Radar refuses them (entity expansion, external entities).");
        }
        catch (XmlException ex)
        {
            throw new OpmlException($"The document is not well-formed XML: {ex.Message}");
        }

        var root = xml.Root;
        if (root is null || !Is(root, "opml"))
        {
            throw new OpmlException($"The root element is <{root?.Name.LocalName}>, not <opml>.");
        }

        var body = root.Elements().FirstOrDefault(e => Is(e, "body"))
            ?? throw new OpmlException("The OPML document has no <body>.");
        var feeds = new List<OpmlFeed>();
        foreach (var outline in body.Descendants().Where(e => Is(e, "outline")))
        {
            var url = Attribute(outline, "xmlUrl");
            if (string.IsNullOrWhiteSpace(url))
            {
                // A folder (or a link that is not a feed): its children are visited anyway.
                continue;
            }

            if (feeds.Count == MaxFeeds)
            {
                throw new OpmlException($"The document names more than {MaxFeeds} feeds; import it in parts.");
            }

            var title = Attribute(outline, "title");
            var text = Attribute(outline, "text");
            feeds.Add(new OpmlFeed(
                url.Trim(),
                string.IsNullOrWhiteSpace(title) ? (string.IsNullOrWhiteSpace(text) ? null : text.Trim()) : title.Trim(),
                outline.Attribute(XName.Get("id", Namespace))?.Value));
        }

        return feeds;
    }

    private static bool Is(XElement element, string name) =>
        string.Equals(element.Name.LocalName, name, StringComparison.OrdinalIgnoreCase);

    // Attribute names are matched without case: hand-written OPML has "xmlurl" and "XMLURL" too.
    private static string? Attribute(XElement element, string name) =>
        element.Attributes().FirstOrDefault(a => a.Name.Namespace == XNamespace.None &&
            string.Equals(a.Name.LocalName, name, StringComparison.OrdinalIgnoreCase))?.Value;
}
