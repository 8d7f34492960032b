using System.Globalization;
using System.Xml;
using static Radar.Pages.Picture.Svg;

namespace Radar.Pages.Picture;

/// <summary>
/// The blips: one link per measure with its number, its status said three ways (colour, shape,
/// ring: never colour alone), and a mark for new or recently moved measures. The legend draws
/// the same shapes, so it calls <see cref="Shape"/> too.
/// </summary>
public static class RadarBlips
{
    /// <summary>Ring colours, innermost first (cycled past six). Each keeps at least 4.5:1 with the
    /// white number in it and 3:1 with the ring backgrounds.</summary>
    public static IReadOnlyList<string> RingColours { get; } = ["#1d6b3a", "#0d5ea8", "#8c4a00", "#6a3d9a", "#a1173c", "#3d4f5c"];

    public static string RingColour(int ring) => RingColours[ring % RingColours.Count];

    /// <summary>"12. Öffentliches WLAN – In Umsetzung, neu".</summary>
    public static string Label(RadarItem item, RadarRing ring)
    {
        var marks = item.New ? ", neu" : item.Moved ? ", Status kürzlich geändert" : "";
        return $"{item.Number.ToString(CultureInfo.InvariantCulture)}. {item.Title} – {ring.Label}{marks}";
    }

    internal static void Write(XmlWriter xml, RadarPictureModel model, RadarGeometry g)
    {
        xml.WriteStartElement("g", Namespace);
        Attr(xml, "class", "radar-blips");
        foreach (var placed in g.Items.OrderBy(p => p.Item.Number))
        {
            var item = placed.Item;
            var label = Label(item, model.Rings[placed.Ring]);
            xml.WriteStartElement("a", Namespace);
            Attr(xml, "href", item.Url);
            Attr(xml, "class", "blip");
            Attr(xml, "aria-label", label);
            Attr(xml, "data-measure", item.Id);
            xml.WriteStartElement("title", Namespace);
            xml.WriteString(label);
            xml.WriteEndElement();
            Shape(xml, placed.X, placed.Y, g.BlipRadius, placed.Ring, item.Number.ToString(CultureInfo.InvariantCulture), item.New, item.Moved);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    /// <summary>One blip: the ring's shape in the ring's colour (circle, square, diamond,
    /// hexagon), the number in white, and the new or moved mark.</summary>
    internal static void Shape(XmlWriter xml, double x, double y, double radius, int ring, string? number, bool isNew, bool moved)
    {
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

        Attr(xml, "fill", RingColour(ring));
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

        if (isNew || moved)
        {
            Mark(xml, x, y, radius, isNew);
        }
    }

    /// <summary>New: a dark dot at the upper right; moved: a dark triangle there. Both stay inside
    /// the blip's radius, so the layout's distances hold for the marks too.</summary>
    private static void Mark(XmlWriter xml, double x, double y, double radius, bool isNew)
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

        Attr(xml, "fill", RadarSvg.TextColour);
        Attr(xml, "stroke", "#ffffff");
        Attr(xml, "stroke-width", "1.5");
        xml.WriteEndElement();
    }
}
