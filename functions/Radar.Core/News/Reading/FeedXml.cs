using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Radar.Core.News.Normalising;

namespace Radar.Core.News.Reading;

/// <summary>A feed's XML as loaded: the root element with everything complete before a break.</summary>
/// <param name="Root">The root element; null when the document could not be read at all.</param>
/// <param name="Error">Why nothing could be read (no root), or, with <paramref name="Break"/>,
/// what the feed is refused with when nothing before the break turns out to be usable.</param>
/// <param name="Break">Where the XML stopped being well-formed, if it did after the root began.</param>
internal sealed record XmlFeedDocument(XElement? Root, FeedParseError? Error, FeedBreak? Break);

/// <summary>
/// Loads a feed's XML safely and salvages what is complete. The reader prohibits DTDs (no external
/// entities, no entity expansion), has no resolver and a character cap; CodeHollow.FeedReader's
/// string and byte entry points are never used, because they parse DTDs and expand entities
/// (see the shared notes). The document is read as a stream, item by item: the root and an RSS
/// <c>&lt;channel&gt;</c> are opened as empty shells and every element inside them is read whole
/// (<see cref="XNode.ReadFrom"/>), so when the XML breaks — a feed cut off in transfer, a bad
/// tag in item 21 — every element completed before the break is kept and the one it broke in is
/// dropped, as feedparser's "bozo" handling does.
/// </summary>
internal static partial class FeedXml
{
    public static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    public static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    /// <summary>Elements nested deeper than this refuse the feed. Building an XElement takes time
    /// quadratic in the depth (1 s at 20,000 levels, 16 s at 60,000), a plain reader pass does not;
    /// real feeds, Atom xhtml content included, stay within a few dozen levels.</summary>
    public const int MaxDepth = 256;

    public static XmlFeedDocument Load(string text, int maxCharacters, string? mediaType)
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
            return new(null, HtmlPage(mediaType), null);
        }

        // First a pass that builds nothing: DTDs and depth are checked, and where the XML breaks
        // is found, before any tree is built.
        XmlException? broken = null;
        using (var scan = XmlReader.Create(new StringReader(prepared), settings))
        {
            try
            {
                while (scan.Read())
                {
                    if (scan.Depth > MaxDepth)
                    {
                        var line = ((IXmlLineInfo)scan).LineNumber;
                        return new(null, new(FeedErrorCodes.Structure, $"The feed nests elements more than {MaxDepth} levels deep (line {line})."), null);
                    }
                }
            }
            catch (XmlException ex)
            {
                broken = ex;
            }
        }

        using var reader = XmlReader.Create(new StringReader(prepared), settings);
        XElement? root = null;
        try
        {
            root = ReadRoot(reader);
        }
        catch (XmlException ex)
        {
            broken ??= ex;
        }

        if (broken is null)
        {
            return new(root, null, null);
        }

        var refusal = Refusal(broken, prepared, mediaType);
        return root is null || refusal.Code == FeedErrorCodes.Dtd
            ? new(null, refusal, null)
            : new(root, refusal, new FeedBreak(FirstSentence(broken.Message), broken.LineNumber, broken.LinePosition));
    }

    /// <summary>The root as a shell holding its complete children; inside an RSS channel the
    /// same again, one level down. Throws at the break; what was added before stays.</summary>
    private static XElement? ReadRoot(XmlReader reader)
    {
        if (reader.MoveToContent() != XmlNodeType.Element)
        {
            return null;
        }

        var root = Shell(reader);
        var isRss = root.Name.LocalName.Equals("rss", StringComparison.OrdinalIgnoreCase);
        try
        {
            ReadChildren(reader, root, descendInto: isRss ? "channel" : null);
        }
        catch (XmlException)
        {
            // Keep what is complete; the caller reports the break (found by the scan already).
        }

        return root;
    }

    private static void ReadChildren(XmlReader reader, XElement parent, string? descendInto)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return;
        }

        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read(); // text and whitespace between items carry nothing
                continue;
            }

            if (descendInto is not null && reader.LocalName == descendInto)
            {
                var container = Shell(reader);
                parent.Add(container);
                ReadChildren(reader, container, descendInto: null);
                continue;
            }

            // Read whole or not at all: an element the XML breaks in never reaches the tree.
            parent.Add(XNode.ReadFrom(reader));
        }

        reader.Read();
    }

    /// <summary>An element without its content: name and attributes (namespace declarations
    /// and xml:base/xml:lang included), the reader left on the element.</summary>
    private static XElement Shell(XmlReader reader)
    {
        var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                var name = reader.NamespaceURI == XNamespace.Xmlns.NamespaceName
                    ? (reader.Prefix.Length == 0 ? XName.Get("xmlns") : XNamespace.Xmlns + reader.LocalName)
                    : XName.Get(reader.LocalName, reader.NamespaceURI);
                element.SetAttributeValue(name, reader.Value);
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }

        return element;
    }

    private static FeedParseError Refusal(XmlException ex, string prepared, string? mediaType)
    {
        // "<!D" is where the reader decides it is looking at a DTD (even a disguised one).
        var doctype = prepared.IndexOf("<!D", StringComparison.OrdinalIgnoreCase);
        var firstElement = FirstElementRegex().Match(prepared);
        if (doctype >= 0 && (!firstElement.Success || doctype < firstElement.Index))
        {
            return new(FeedErrorCodes.Dtd,
                $"The feed declares a DTD (<!DOCTYPE …> at line {LineOf(prepared, doctype)}). DTDs are refused: their entities can read local files or expand without bound.");
        }

        return mediaType is "text/html"
            ? HtmlPage(mediaType)
            : new(FeedErrorCodes.InvalidXml, $"The feed is not well-formed XML: {ex.Message}");
    }

    public static FeedParseError HtmlPage(string? mediaType) =>
        new(FeedErrorCodes.Html, $"The body is an HTML page{(mediaType is null ? "" : $" (Content-Type {mediaType})")}, not a feed.");

    /// <summary>The base URI in scope for <paramref name="element"/>: every xml:base from the root
    /// down, each resolved against the one outside it, starting at <paramref name="documentBase"/>.</summary>
    public static Uri? XmlBase(XElement element, Uri? documentBase)
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

    /// <summary>The xml:lang in scope.</summary>
    public static string? Lang(XElement element) =>
        (string?)element.AncestorsAndSelf().Select(e => e.Attribute(XNamespace.Xml + "lang")).FirstOrDefault(a => a is not null);

    public static Uri? Absolute(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>The first child element with this local name, whatever its namespace.</summary>
    public static XElement? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    // The reader's message ends with "Line 12, position 5."; the position is reported apart.
    private static string FirstSentence(string message)
    {
        var at = message.IndexOf(" Line ", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }

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

    [GeneratedRegex("&([A-Za-z][A-Za-z0-9]{1,31});")]
    private static partial Regex NamedEntityRegex();

    [GeneratedRegex(@"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex HtmlStartRegex();

    [GeneratedRegex("<[A-Za-z_]")]
    private static partial Regex FirstElementRegex();
}
