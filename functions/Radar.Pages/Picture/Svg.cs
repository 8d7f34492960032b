using System.Globalization;
using System.Text;
using System.Xml;

namespace Radar.Pages.Picture;

/// <summary>
/// The <see cref="XmlWriter"/> plumbing the pictures share (the radar and the KPI charts): SVG
/// elements written with presentation attributes only, never <c>style</c>, so a picture works
/// under a CSP without inline styles; numbers with at most one decimal, invariant, so the same
/// data gives the same bytes; and a generous estimate of text widths, since nothing measures text
/// on the server.
/// </summary>
public static class Svg
{
    public const string Namespace = "http://www.w3.org/2000/svg";

    public const string FontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif";

    internal static void Attr(XmlWriter xml, string name, string value) => xml.WriteAttributeString(name, value);

    /// <summary>A coordinate or length: one decimal at most, invariant culture.</summary>
    internal static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    internal static void Circle(XmlWriter xml, double x, double y, double r, string fill, string stroke, double strokeWidth)
    {
        xml.WriteStartElement("circle", Namespace);
        Attr(xml, "cx", N(x));
        Attr(xml, "cy", N(y));
        Attr(xml, "r", N(r));
        Attr(xml, "fill", fill);
        Attr(xml, "stroke", stroke);
        Attr(xml, "stroke-width", N(strokeWidth));
        xml.WriteEndElement();
    }

    internal static void Rect(XmlWriter xml, double x, double y, double width, double height, string fill)
    {
        xml.WriteStartElement("rect", Namespace);
        Attr(xml, "x", N(x));
        Attr(xml, "y", N(y));
        Attr(xml, "width", N(width));
        Attr(xml, "height", N(height));
        Attr(xml, "fill", fill);
        xml.WriteEndElement();
    }

    internal static void Line(XmlWriter xml, double x1, double y1, double x2, double y2, string? stroke = null, double? width = null)
    {
        xml.WriteStartElement("line", Namespace);
        Attr(xml, "x1", N(x1));
        Attr(xml, "y1", N(y1));
        Attr(xml, "x2", N(x2));
        Attr(xml, "y2", N(y2));
        if (stroke is not null)
        {
            Attr(xml, "stroke", stroke);
        }

        if (width is { } w)
        {
            Attr(xml, "stroke-width", N(w));
        }

        xml.WriteEndElement();
    }

    /// <summary>The path data of a regular polygon around (<paramref name="x"/>, <paramref name="y"/>),
    /// its first corner at 12 o'clock turned by <paramref name="rotation"/>.</summary>
    internal static string Polygon(double x, double y, double r, int corners, double rotation)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < corners; i++)
        {
            var a = rotation + (i * 2 * Math.PI / corners) - (Math.PI / 2);
            builder.Append(i == 0 ? 'M' : 'L').Append(N(x + (r * Math.Cos(a)))).Append(' ').Append(N(y + (r * Math.Sin(a))));
        }

        return builder.Append('Z').ToString();
    }

    /// <summary>A generous estimate of a sans-serif text's width.</summary>
    internal static double TextWidth(string text, double fontSize) => text.Length * fontSize * 0.56;

    /// <summary>The label, cut with "…" where it would not fit into <paramref name="width"/>.</summary>
    internal static string Fit(string label, double width, double fontSize)
    {
        if (TextWidth(label, fontSize) <= width)
        {
            return label;
        }

        var chars = Math.Max(1, (int)(width / (fontSize * 0.56)) - 1);
        return label.Length <= chars ? label : label[..chars].TrimEnd() + "…";
    }

    /// <summary>Words on lines of at most <paramref name="maxChars"/> (a longer word gets a line
    /// of its own).</summary>
    internal static List<string> Wrap(string text, int maxChars)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > maxChars)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }

        return lines;
    }
}
