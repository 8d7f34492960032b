using System.Xml;
using static Radar.Pages.Picture.Svg;

namespace Radar.Pages.Picture;

/// <summary>What the blips sit on: the rings (alternating grounds, the centre hole white), the
/// white lines between sectors, and the band at 12 o'clock with the ring names.</summary>
internal static class RadarBackdrop
{
    private const string RingStroke = "#c3ccd5";

    private static readonly string[] RingBackgrounds = ["#e8eef4", "#f3f6f9"];

    public static void WriteRings(XmlWriter xml, RadarGeometry g)
    {
        xml.WriteStartElement("g", Namespace);
        Attr(xml, "class", "radar-rings");
        for (var r = g.RingOuterRadii.Count - 1; r >= 0; r--)
        {
            Circle(xml, g.CenterX, g.CenterY, g.RingOuterRadii[r], RingBackgrounds[r % 2], RingStroke, 1);
        }

        Circle(xml, g.CenterX, g.CenterY, g.InnerRadius, "#ffffff", RingStroke, 1);
        xml.WriteEndElement();
    }

    public static void WriteSectorLines(XmlWriter xml, RadarGeometry g)
    {
        xml.WriteStartElement("g", Namespace);
        Attr(xml, "class", "radar-sectors");
        Attr(xml, "stroke", "#ffffff");
        Attr(xml, "stroke-width", "3");
        if (g.SectorAngles.Count > 1)
        {
            foreach (var (start, _) in g.SectorAngles)
            {
                Line(
                    xml,
                    g.CenterX + (g.InnerRadius * Math.Cos(start)),
                    g.CenterY + (g.InnerRadius * Math.Sin(start)),
                    g.CenterX + (g.Radius * Math.Cos(start)),
                    g.CenterY + (g.Radius * Math.Sin(start)));
            }
        }

        xml.WriteEndElement();

        // The band at 12 o'clock that carries the ring names.
        Rect(xml, g.CenterX - g.BandHalfWidth, g.CenterY - g.Radius - 1, 2 * g.BandHalfWidth, g.Radius - g.InnerRadius + 1, "#ffffff");
    }

    /// <summary>Each ring's name in the band, turned to run along it, cut with "…" to its width.</summary>
    public static void WriteRingLabels(XmlWriter xml, RadarPictureModel model, RadarGeometry g)
    {
        xml.WriteStartElement("g", Namespace);
        Attr(xml, "class", "radar-ring-labels");
        Attr(xml, "font-size", N(RadarSvg.RingLabelSize));
        Attr(xml, "fill", RadarSvg.Muted);
        Attr(xml, "text-anchor", "middle");
        for (var r = 0; r < model.Rings.Count; r++)
        {
            var inner = r == 0 ? g.InnerRadius : g.RingOuterRadii[r - 1];
            var middle = (inner + g.RingOuterRadii[r]) / 2;
            var x = g.CenterX;
            var y = g.CenterY - middle;
            var width = g.RingOuterRadii[r] - inner - 6;
            var label = Fit(model.Rings[r].Label, width, RadarSvg.RingLabelSize);
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
}
