using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace Radar.Core.News.Normalising;

/// <summary>
/// HTML from feeds made safe and made text. <see cref="Sanitize"/> keeps a small set of
/// text-formatting elements, drops scripts, styles, frames, forms and every event handler, allows
/// only http(s) and mailto URLs and makes them absolute; links get <c>rel="nofollow noopener"</c>.
/// It runs on every HTML field, always: CodeHollow.FeedReader decodes some fields a second time,
/// so text that was escaped in the feed can arrive as live markup.
/// </summary>
public sealed partial class NewsHtml
{
    private static readonly HashSet<string> DroppedWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
        "applet", "svg", "math", "textarea", "select", "option", "button", "title", "head",
    };

    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    };

    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
        "p", "pre", "section", "table", "td", "th", "tr", "ul",
    };

    // One parser per thread: the parser is cheap to keep, and feeds are parsed in parallel.
    [ThreadStatic]
    private static HtmlParser? _threadParser;

    private readonly HtmlSanitizer _sanitizer;

    public NewsHtml()
    {
        _sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = Set(
                "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div", "dl", "dt",
                "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
                "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
                "tfoot", "th", "thead", "time", "tr", "u", "ul"),
            AllowedAttributes = Set(
                "href", "src", "alt", "title", "width", "height", "colspan", "rowspan", "datetime", "cite", "lang",
                "dir", "start", "reversed", "scope", "headers"),
            AllowedSchemes = Set("http", "https", "mailto"),
            UriAttributes = Set("href", "src", "cite"),
        })
        {
            // Unknown wrappers (<section>, <font>) must not take their text with them.
            KeepChildNodes = true,
        };
        _sanitizer.RemovingTag += (_, e) =>
        {
            if (DroppedWithContent.Contains(e.Tag.LocalName))
            {
                e.Tag.InnerHtml = "";
            }
        };
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { LocalName: "a" } link && link.HasAttribute("href"))
            {
                link.SetAttribute("rel", "nofollow noopener");
            }
        };
        _sanitizer.PostProcessDom += (_, e) =>
        {
            // An image whose source was refused is nothing.
            foreach (var image in e.Document.QuerySelectorAll("img:not([src])").ToList())
            {
                image.Remove();
            }
        };
    }

    /// <summary>Markup nested deeper than this is not given to an HTML parser: tree walks over
    /// it take seconds and, some levels further, overflow the stack and end the process. Real
    /// articles stay far below (a few dozen levels); such content is kept as its text.</summary>
    public const int MaxNesting = 500;

    /// <summary>Safe HTML; relative URLs resolved against <paramref name="baseUri"/> (http(s) only;
    /// without one, relative URLs are dropped rather than left to resolve against Radar's pages).</summary>
    public string Sanitize(string? html, Uri? baseUri)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return "";
        }

        if (TooDeep(html))
        {
            return "<p>" + WebUtility.HtmlEncode(FlatText(html)) + "</p>";
        }

        var sanitized = _sanitizer.Sanitize(html, baseUri?.AbsoluteUri ?? "");
        if (baseUri is null)
        {
            sanitized = DropRelativeUrls(sanitized);
        }

        return sanitized.Trim();
    }

    /// <summary>Plain text of an HTML fragment: entities decoded, script and style content left
    /// out, blocks separated by spaces, whitespace collapsed.</summary>
    public static string ToText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return "";
        }

        // Plain text needs no parser (most titles); entities are still decoded.
        if (!LooksLikeMarkup(html))
        {
            return CollapseWhitespace(WebUtility.HtmlDecode(html));
        }

        if (TooDeep(html))
        {
            return FlatText(html);
        }

        var document = Parser.ParseDocument("<!DOCTYPE html><html><body>" + html);
        var text = new StringBuilder(html.Length);
        AppendText(document.Body!, text);
        return CollapseWhitespace(text.ToString());
    }

    /// <summary>At most <paramref name="maxLength"/> characters: cut at the last word boundary
    /// before the limit and ended with "…".</summary>
    public static string Shorten(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var limit = maxLength - 1; // room for the ellipsis
        if (char.IsLowSurrogate(text[limit]))
        {
            limit--;
        }

        var cut = text.LastIndexOf(' ', limit);
        if (cut < maxLength / 2)
        {
            cut = limit; // one enormous word: cut inside it rather than lose most of the text
        }

        return text[..cut].TrimEnd(' ', ',', ';', ':', '-', '–', '—', '(', '/') + "…";
    }

    /// <summary>Sanitised HTML of at most <paramref name="maxCharacters"/>: whole top-level
    /// elements are kept while they fit, so what is kept stays well-formed.</summary>
    public static string Cap(string html, int maxCharacters)
    {
        if (html.Length <= maxCharacters)
        {
            return html;
        }

        const string More = "<p>…</p>";
        var document = Parser.ParseDocument("<!DOCTYPE html><html><body>" + html);
        var kept = new StringBuilder();
        foreach (var node in document.Body!.ChildNodes)
        {
            var piece = node is IElement element ? element.OuterHtml : WebUtility.HtmlEncode(node.TextContent);
            if (kept.Length + piece.Length + More.Length > maxCharacters)
            {
                break;
            }

            kept.Append(piece);
        }

        return kept.Append(More).ToString();
    }

    private static HtmlParser Parser => _threadParser ??= new HtmlParser();

    /// <summary>Whether elements open more than <see cref="MaxNesting"/> deep, by a scan of the
    /// tags (void and self-closed elements do not nest). Unclosed elements that HTML would close
    /// implicitly count too: the estimate errs towards flattening, never towards the parser.</summary>
    internal static bool TooDeep(string html)
    {
        var depth = 0;
        for (var i = html.IndexOf('<'); i >= 0 && i < html.Length - 1; i = html.IndexOf('<', i + 1))
        {
            var next = html[i + 1];
            if (next == '/')
            {
                depth = Math.Max(0, depth - 1);
                continue;
            }

            if (!char.IsAsciiLetter(next))
            {
                continue;
            }

            var nameEnd = i + 1;
            while (nameEnd < html.Length && char.IsAsciiLetterOrDigit(html[nameEnd]))
            {
                nameEnd++;
            }

            var close = html.IndexOf('>', nameEnd);
            if (close < 0)
            {
                break;
            }

            if (html[close - 1] == '/' || VoidElements.Contains(html[(i + 1)..nameEnd]))
            {
                continue;
            }

            if (++depth > MaxNesting)
            {
                return true;
            }
        }

        return false;
    }

    private static string FlatText(string html) =>
        CollapseWhitespace(WebUtility.HtmlDecode(TagRegex().Replace(ScriptRegex().Replace(html, " "), " ")));

    public static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c == '\u00A0' || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool LooksLikeMarkup(string text)
    {
        for (var i = text.IndexOf('<'); i >= 0 && i < text.Length - 1; i = text.IndexOf('<', i + 1))
        {
            var next = text[i + 1];
            if (char.IsAsciiLetter(next) || next is '/' or '!' or '?')
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendText(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    text.Append(t.Data);
                    break;
                case IElement e when DroppedWithContent.Contains(e.LocalName):
                    break;
                case IElement e:
                    var block = BlockElements.Contains(e.LocalName);
                    if (block)
                    {
                        text.Append(' ');
                    }

                    AppendText(e, text);
                    if (block)
                    {
                        text.Append(' ');
                    }

                    break;
            }
        }
    }

    private static string DropRelativeUrls(string html)
    {
        var document = Parser.ParseDocument("<!DOCTYPE html><html><body>" + html);
        foreach (var element in document.Body!.QuerySelectorAll("[href],[src],[cite]"))
        {
            foreach (var name in new[] { "href", "src", "cite" })
            {
                var value = element.GetAttribute(name);
                if (value is not null && !IsAbsoluteWebUrl(value))
                {
                    element.RemoveAttribute(name);
                }
            }
        }

        return document.Body.InnerHtml;
    }

    private static bool IsAbsoluteWebUrl(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);

    // Non-backtracking: linear in the text whatever a hostile feed puts into it.
    [GeneratedRegex(@"<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>",
        RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex ScriptRegex();

    [GeneratedRegex("<[^>]*>?")]
    private static partial Regex TagRegex();

    private static HashSet<string> Set(params string[] values) => new(values, StringComparer.OrdinalIgnoreCase);
}
