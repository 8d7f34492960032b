using System.Xml;
using static Radar.Pages.Picture.Svg;

namespace Radar.Pages.Picture;

/// <summary>A sector's name outside the circle: lines at (<see cref="X"/>, baseline) with
/// <see cref="Anchor"/> as the SVG <c>text-anchor</c>.</summary>
internal sealed record SectorLabel(double X, string Anchor, IReadOnlyList<(string Text, double Y)> Lines);

/// <summary>The sector names around the circle: placed first, so the picture's box can grow to
/// hold them (an SVG clips at its viewBox), then written.</summary>
internal static class SectorLabels
{
    /// <summary>Room kept between a label and the picture's edge.</summary>
    public const double Margin = 8;

    private const double Gap = 18;
    private const double FontSize = RadarSvg.FontSize;

    public static List<SectorLabel> Place(RadarPictureModel model, RadarGeometry g)
    {
        var maxChars = model.Sectors.Count > 6 ? 16 : 24;
        var labels = new List<SectorLabel>();
        for (var s = 0; s < model.Sectors.Count; s++)
        {
            var (start, end) = g.SectorAngles[s];
            var angle = (start + end) / 2;
            var cos = Math.Cos(angle);
            var sin = Math.Sin(angle);
            var x = g.CenterX + ((g.Radius + Gap) * cos);
            var y = g.CenterY + ((g.Radius + Gap) * sin);
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
    public static (double Left, double Top, double Right, double Bottom) Bounds(IEnumerable<SectorLabel> labels)
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

    public static void Write(XmlWriter xml, IEnumerable<SectorLabel> labels)
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
}
