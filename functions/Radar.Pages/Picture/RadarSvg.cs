using System.Globalization;
using System.Text;
using System.Xml;

namespace Radar.Pages.Picture;

/// <summary>Everything the picture shows. <see cref="Description"/> is its text alternative.</summary>
public sealed record RadarPictureModel(
    string Title,
    string Description,
    IReadOnlyList<RadarSector> Sectors,
    IReadOnlyList<RadarRing> Rings,
    IReadOnlyList<RadarItem> Items);

/// <summary>How the picture is used: on its own (<c>/api/radar.svg</c>, <c>role="img"</c>) or
/// inline in a page (<c>role="group"</c>: an image role would hide the blips' links from
/// assistive technology, and axe flags focusable content inside it).</summary>
/// <param name="IdPrefix">Prefix of the ids of <c>title</c> and <c>desc</c>, unique on a page.</param>
public sealed record RadarSvgOptions(bool Inline = false, string IdPrefix = "radar");

/// <summary>
/// Draws the radar as SVG with an <see cref="XmlWriter"/>: rings (one per status, innermost
/// first) crossed by sectors (one per area or field), ring names in a band at 12 o'clock, sector
/// names around the circle, a blip per measure (colour, shape and ring say its status; the number
/// links it to the table; a solid outer ring marks new, a dashed one moved measures), and a
/// legend. Only presentation attributes, no <c>style</c>: the picture works under a CSP without
/// inline styles, and a page's stylesheet can still add focus and hover styles.
/// </summary>
public static class RadarSvg
{
    public const string Namespace = "http://www.w3.org/2000/svg";

    private const double Width = 960;
    private const double Radius = 320;
    private const double CenterX = Width / 2;
    private const double CenterY = Radius + 70;
    private const double LabelGap = 18;
    private const double LabelMargin = 8;
    private const double FontSize = 14;
    private const double RingLabelSize = 11;
    private const string Text = "#1b1f24";
    private const string Muted = "#4a5561";

    /// <summary>Ring colours, innermost first (cycled past six). Each keeps at least 4.5:1 with the
    /// white number in it and 3:1 with the ring backgrounds.</summary>
    public static IReadOnlyList<string> RingColours { get; } = ["#1d6b3a", "#0d5ea8", "#8c4a00", "#6a3d9a", "#a1173c", "#3d4f5c"];

    private static readonly string[] RingBackgrounds = ["#e8eef4", "#f3f6f9"];

    public static byte[] Write(RadarPictureModel model, RadarSvgOptions options)
    {
        var geometry = Layout(model);
        var legendTop = CenterY + Radius + 72;
        var legendLines = LegendLines(model);
        var sectorLabels = SectorLabels(model, geometry);
        // The picture scales to its column, and an SVG clips what lies outside its viewBox: the
        // box grows to hold every sector label (estimated generously), however long.
        var (left, top, right, bottom) = Bounds(sectorLabels);
        var minX = Math.Floor(Math.Min(0, left - LabelMargin));
        var minY = Math.Floor(Math.Min(0, top - LabelMargin));
        var width = Math.Ceiling(Math.Max(Width, right + LabelMargin)) - minX;
        var height = Math.Max(legendTop + (legendLines.Count * 30) + 16, bottom + LabelMargin) - minY;

        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(false),
            OmitXmlDeclaration = options.Inline,
            Indent = false,
        };
        using (var xml = XmlWriter.Create(stream, settings))
        {
            xml.WriteStartElement("svg", Namespace);
            Attr(xml, "viewBox", $"{N(minX)} {N(minY)} {N(width)} {N(height)}");
            if (!options.Inline)
            {
                Attr(xml, "width", N(width));
                Attr(xml, "height", N(height));
            }

            Attr(xml, "role", options.Inline ? "group" : "img");
            Attr(xml, "aria-labelledby", $"{options.IdPrefix}-title {options.IdPrefix}-desc");
            Attr(xml, "class", "radar-picture");
            Attr(xml, "font-family", "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif");
            Attr(xml, "font-size", N(FontSize));
            Attr(xml, "fill", Text);

            xml.WriteStartElement("title", Namespace);
            Attr(xml, "id", $"{options.IdPrefix}-title");
            xml.WriteString(model.Title);
            xml.WriteEndElement();
            xml.WriteStartElement("desc", Namespace);
            Attr(xml, "id", $"{options.IdPrefix}-desc");
            xml.WriteString(model.Description);
            xml.WriteEndElement();

            if (!options.Inline)
            {
                // A white ground when the file is opened or embedded on its own.
                Rect(xml, minX, minY, width, height, "#ffffff");
            }

            WriteRings(xml, geometry);
            WriteSectorLines(xml, geometry);
            WriteRingLabels(xml, model, geometry);
            WriteSectorLabels(xml, sectorLabels);
            WriteBlips(xml, model, geometry);
            WriteLegend(xml, legendLines, legendTop);
            xml.WriteEndElement();
        }

        return stream.ToArray();
    }

    /// <summary>The layout alone (tests check it for overlaps).</summary>
    public static RadarGeometry Layout(RadarPictureModel model) =>
        RadarLayout.Place(model.Sectors, model.Rings, model.Items, CenterX, CenterY, Radius,
            ringLabelWidths: model.Rings.Select(r => TextWidth(r.Label, RingLabelSize)).ToList());

    public static string RingColour(int ring) => RingColours[ring % RingColours.Count];

    private static void WriteRings(XmlWriter xml, RadarGeometry g)
    {
        xml.WriteStartElement("g", Namespace);
        Attr(xml, "class", "radar-rings");
        for (var r = g.RingOuterRadii.Count - 1; r >= 0; r--)
        {
            Circle(xml, g.CenterX, g.CenterY, g.RingOuterRadii[r], RingBackgrounds[r % 2], "#c3ccd5", 1);
        }

        Circle(xml, g.CenterX, g.CenterY, g.InnerRadius, "#ffffff", "#c3ccd5", 1);
        xml.WriteEndElement();
    }

    private static void WriteSectorLines(XmlWriter xml, RadarGeometry g)
    {
        xml.WriteStartElement("g", Namespace);
        Attr(xml, "class", "radar-sectors");
        Attr(xml, "stroke", "#ffffff");
        Attr(xml, "stroke-width", "3");
        foreach (var (start, _) in g.SectorAngles)
        {
            if (g.SectorAngles.Count == 1)
            {
                break;
            }

            xml.WriteStartElement("line", Namespace);
            Attr(xml, "x1", N(g.CenterX + (g.InnerRadius * Math.Cos(start))));
            Attr(xml, "y1", N(g.CenterY + (g.InnerRadius * Math.Sin(start))));
            Attr(xml, "x2", N(g.CenterX + (g.Radius * Math.Cos(start))));
            Attr(xml, "y2", N(g.CenterY + (g.Radius * Math.Sin(start))));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();

        // The band at 12 o'clock that carries the ring names.
        Rect(xml, g.CenterX - g.BandHalfWidth, g.CenterY - g.Radius - 1, 2 * g.BandHalfWidth, g.Radius - g.InnerRadius + 1, "#ffffff");
    }

    private static void WriteRingLabels(XmlWriter xml, RadarPictureModel model, RadarGeometry g)
    {
        xml.WriteStartElement("g", Namespace);
        Attr(xml, "class", "radar-ring-labels");
        Attr(xml, "font-size", N(RingLabelSize));
        Attr(xml, "fill", Muted);
        Attr(xml, "text-anchor", "middle");
        for (var r = 0; r < model.Rings.Count; r++)
        {
            var inner = r == 0 ? g.InnerRadius : g.RingOuterRadii[r - 1];
            var middle = (inner + g.RingOuterRadii[r]) / 2;
            var x = g.CenterX;
            var y = g.CenterY - middle;
            var width = g.RingOuterRadii[r] - inner - 6;
            var label = Fit(model.Rings[r].Label, width, RingLabelSize);
            xml.WriteStartElement("text", Namespace);
            Attr(xml, "x", N(x));
            Attr(xml, "y", N(y));
            Attr(xml, "dy", "0.35em");
            Attr(xml, "transform", $"rotate(-90 {N(x)} {N(y)})");
            Attr(xml, "aria-hidden", "true");
            xml.WriteString(label);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    /// <summary>A sector's name outside the circle: lines at (<see cref="X"/>, baseline) with
    /// <see cref="Anchor"/> as the SVG <c>text-anchor</c>.</summary>
    private sealed record SectorLabel(double X, string Anchor, IReadOnlyList<(string Text, double Y)> Lines);

    private static List<SectorLabel> SectorLabels(RadarPictureModel model, RadarGeometry g)
    {
        var maxChars = model.Sectors.Count > 6 ? 16 : 24;
        var labels = new List<SectorLabel>();
        for (var s = 0; s < model.Sectors.Count; s++)
        {
            var (start, end) = g.SectorAngles[s];
            var angle = (start + end) / 2;
            var cos = Math.Cos(angle);
            var sin = Math.Sin(angle);
            var x = g.CenterX + ((g.Radius + LabelGap) * cos);
            var y = g.CenterY + ((g.Radius + LabelGap) * sin);
            var lines = Wrap(model.Sectors[s].Label, maxChars);
            var anchor = cos > 0.25 ? "start" : cos < -0.25 ? "end" : "middle";
            // Labels below the circle hang down from it, labels above stand on it.
            var lineHeight = FontSize * 1.2;
            var firstY = sin > 0.25 ? y + (FontSize * 0.8)
                : sin < -0.25 ? y - ((lines.Count - 1) * lineHeight)
                : y + (FontSize * 0.35) - ((lines.Count - 1) * lineHeight / 2);
            labels.Add(new SectorLabel(x, anchor, lines.Select((line, i) => (line, firstY + (i * lineHeight))).ToList()));
        }

        return labels;
    }

    /// <summary>The box around the labels' lines: the estimated width (bold is wider), ascent
    /// above and descent below each baseline.</summary>
    private static (double Left, double Top, double Right, double Bottom) Bounds(IEnumerable<SectorLabel> labels)
    {
        double left = double.MaxValue, top = double.MaxValue, right = double.MinValue, bottom = double.MinValue;
        foreach (var label in labels)
        {
            foreach (var (text, y) in label.Lines)
            {
                var width = TextWidth(text, FontSize) * 1.1;
                var from = label.Anchor switch
                {
                    "start" => label.X,
                    "end" => label.X - width,
                    _ => label.X - (width / 2),
                };
                left = Math.Min(left, from);
                right = Math.Max(right, from + width);
                top = Math.Min(top, y - FontSize);
                bottom = Math.Max(bottom, y + (FontSize * 0.3));
            }
        }

        return left == double.MaxValue ? (0, 0, 0, 0) : (left, top, right, bottom);
    }

    private static void WriteSectorLabels(XmlWriter xml, IEnumerable<SectorLabel> labels)
    {
        xml.WriteStartElement("g", Namespace);
        Attr(xml, "class", "radar-sector-labels");
        Attr(xml, "font-weight", "600");
        foreach (var label in labels)
        {
            xml.WriteStartElement("text", Namespace);
            Attr(xml, "text-anchor", label.Anchor);
            Attr(xml, "aria-hidden", "true");
            foreach (var (text, y) in label.Lines)
            {
                xml.WriteStartElement("tspan", Namespace);
                Attr(xml, "x", N(label.X));
                Attr(xml, "y", N(y));
                xml.WriteString(text);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void WriteBlips(XmlWriter xml, RadarPictureModel model, RadarGeometry g)
    {
        xml.WriteStartElement("g", Namespace);
        Attr(xml, "class", "radar-blips");
        foreach (var placed in g.Items.OrderBy(p => p.Item.Number))
        {
            var item = placed.Item;
            var label = BlipLabel(item, model.Rings[placed.Ring]);
            xml.WriteStartElement("a", Namespace);
            Attr(xml, "href", item.Url);
            Attr(xml, "class", "blip");
            Attr(xml, "aria-label", label);
            Attr(xml, "data-measure", item.Id);
            xml.WriteStartElement("title", Namespace);
            xml.WriteString(label);
            xml.WriteEndElement();
            Blip(xml, placed.X, placed.Y, g.BlipRadius, placed.Ring, item.Number.ToString(CultureInfo.InvariantCulture), item.New, item.Moved);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    /// <summary>"12. Öffentliches WLAN – In Umsetzung, neu".</summary>
    public static string BlipLabel(RadarItem item, RadarRing ring)
    {
        var marks = item.New ? ", neu" : item.Moved ? ", Status kürzlich geändert" : "";
        return $"{item.Number.ToString(CultureInfo.InvariantCulture)}. {item.Title} – {ring.Label}{marks}";
    }

    private static void Blip(XmlWriter xml, double x, double y, double radius, int ring, string? number, bool isNew, bool moved)
    {
        var colour = RingColour(ring);
        var s = radius * 0.86;
        xml.WriteStartElement(ring % 4 == 0 ? "circle" : "path", Namespace);
        Attr(xml, "class", "blip-shape");
        switch (ring % 4)
        {
            case 0:
                Attr(xml, "cx", N(x));
                Attr(xml, "cy", N(y));
                Attr(xml, "r", N(s));
                break;
            case 1: // square
                Attr(xml, "d", Polygon(x, y, s * 1.12, 4, Math.PI / 4));
                break;
            case 2: // diamond
                Attr(xml, "d", Polygon(x, y, s * 1.14, 4, 0));
                break;
            default: // hexagon
                Attr(xml, "d", Polygon(x, y, s * 1.08, 6, Math.PI / 6));
                break;
        }

        Attr(xml, "fill", colour);
        xml.WriteEndElement();

        if (number is not null)
        {
            xml.WriteStartElement("text", Namespace);
            Attr(xml, "x", N(x));
            Attr(xml, "y", N(y));
            Attr(xml, "dy", "0.35em");
            Attr(xml, "text-anchor", "middle");
            Attr(xml, "font-size", N(Math.Round(radius * (number.Length > 2 ? 0.66 : 0.84), 1)));
            Attr(xml, "font-weight", "700");
            Attr(xml, "fill", "#ffffff");
            Attr(xml, "aria-hidden", "true");
            xml.WriteString(number);
            xml.WriteEndElement();
        }

        // New: a dark dot at the upper right; moved: a dark triangle there. Both stay inside the
        // blip's radius, so the layout's distances hold for the marks too.
        if (isNew || moved)
        {
            var bx = x + (radius * 0.64);
            var by = y - (radius * 0.64);
            var br = radius * 0.34;
            xml.WriteStartElement(isNew ? "circle" : "path", Namespace);
            Attr(xml, "class", isNew ? "blip-new" : "blip-moved");
            if (isNew)
            {
                Attr(xml, "cx", N(bx));
                Attr(xml, "cy", N(by));
                Attr(xml, "r", N(br));
            }
            else
            {
                Attr(xml, "d", Polygon(bx, by, br * 1.2, 3, 0));
            }

            Attr(xml, "fill", Text);
            Attr(xml, "stroke", "#ffffff");
            Attr(xml, "stroke-width", "1.5");
            xml.WriteEndElement();
        }
    }

    private sealed record LegendEntry(string Label, int Ring, bool New, bool Moved);

    private static List<List<LegendEntry>> LegendLines(RadarPictureModel model)
    {
        var entries = model.Rings.Select((r, i) => new LegendEntry(r.Label, i, false, false)).ToList();
        entries.Add(new LegendEntry("neu", -1, true, false));
        entries.Add(new LegendEntry("Status kürzlich geändert", -1, false, true));
        var lines = new List<List<LegendEntry>> { new() };
        var x = 0.0;
        foreach (var entry in entries)
        {
            var width = EntryWidth(entry);
            if (x + width > Width - 80 && lines[^1].Count > 0)
            {
                lines.Add([]);
                x = 0;
            }

            lines[^1].Add(entry);
            x += width;
        }

        return lines;
    }

    private static double EntryWidth(LegendEntry entry) => 30 + TextWidth(entry.Label, FontSize) + 24;

    private static void WriteLegend(XmlWriter xml, List<List<LegendEntry>> lines, double top)
    {
        xml.WriteStartElement("g", Namespace);
        Attr(xml, "class", "radar-legend");
        Attr(xml, "aria-hidden", "true");
        for (var l = 0; l < lines.Count; l++)
        {
            var width = lines[l].Sum(EntryWidth);
            var x = (Width - width) / 2;
            var y = top + (l * 30);
            foreach (var entry in lines[l])
            {
                if (entry.Ring >= 0)
                {
                    Blip(xml, x + 12, y, 12, entry.Ring, null, false, false);
                }
                else
                {
                    // New and moved are marked on the blip, whatever its status.
                    Blip(xml, x + 12, y, 12, 5, null, entry.New, entry.Moved);
                }

                xml.WriteStartElement("text", Namespace);
                Attr(xml, "x", N(x + 30));
                Attr(xml, "y", N(y));
                Attr(xml, "dy", "0.35em");
                xml.WriteString(entry.Label);
                xml.WriteEndElement();
                x += EntryWidth(entry);
            }
        }

        xml.WriteEndElement();
    }

    private static string Polygon(double x, double y, double r, int corners, double rotation)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < corners; i++)
        {
            var a = rotation + (i * 2 * Math.PI / corners) - (Math.PI / 2);
            builder.Append(i == 0 ? 'M' : 'L').Append(N(x + (r * Math.Cos(a)))).Append(' ').Append(N(y + (r * Math.Sin(a))));
        }

        return builder.Append('Z').ToString();
    }

    private static void Circle(XmlWriter xml, double x, double y, double r, string fill, string stroke, double strokeWidth)
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

    private static void Rect(XmlWriter xml, double x, double y, double width, double height, string fill)
    {
        xml.WriteStartElement("rect", Namespace);
        Attr(xml, "x", N(x));
        Attr(xml, "y", N(y));
        Attr(xml, "width", N(width));
        Attr(xml, "height", N(height));
        Attr(xml, "fill", fill);
        xml.WriteEndElement();
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

    /// <summary>The label, cut with "…" where it would not fit into <paramref name="width"/>.</summary>
    private static string Fit(string label, double width, double fontSize)
    {
        if (TextWidth(label, fontSize) <= width)
        {
            return label;
        }

        var chars = Math.Max(1, (int)(width / (fontSize * 0.56)) - 1);
        return label.Length <= chars ? label : label[..chars].TrimEnd() + "…";
    }

    /// <summary>A generous estimate of a sans-serif text's width.</summary>
    private static double TextWidth(string text, double fontSize) => text.Length * fontSize * 0.56;

    private static void Attr(XmlWriter xml, string name, string value) => xml.WriteAttributeString(name, value);

    private static string N(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
