using System.Xml;
using static Radar.Pages.Picture.Svg;

namespace Radar.Pages.Picture;

/// <summary>The legend below the circle: every ring's shape and name, then the marks for new and
/// recently moved measures, on as many centred lines as the picture's width needs.</summary>
internal static class RadarLegend
{
    private const double LineHeight = 30;
    private const double Symbol = 12;

    internal sealed record Entry(string Label, int Ring, bool New, bool Moved);

    /// <summary>The entries, broken into lines.</summary>
    public static List<List<Entry>> Lines(RadarPictureModel model)
    {
        var entries = model.Rings.Select((r, i) => new Entry(r.Label, i, false, false)).ToList();
        entries.Add(new Entry("neu", -1, true, false));
        entries.Add(new Entry("Status kürzlich geändert", -1, false, true));
        var lines = new List<List<Entry>> { new() };
        var x = 0.0;
        foreach (var entry in entries)
        {
            var width = EntryWidth(entry);
            if (x + width > RadarSvg.Width - 80 && lines[^1].Count > 0)
            {
                lines.Add([]);
                x = 0;
            }

            lines[^1].Add(entry);
            x += width;
        }

        return lines;
    }

    /// <summary>The height the lines take, with room below the last.</summary>
    public static double Height(List<List<Entry>> lines) => (lines.Count * LineHeight) + 16;

    public static void Write(XmlWriter xml, List<List<Entry>> lines, double top)
    {
        xml.WriteStartElement("g", Namespace);
        Attr(xml, "class", "radar-legend");
        Attr(xml, "aria-hidden", "true");
        for (var l = 0; l < lines.Count; l++)
        {
            var line = lines[l];
            var x = (RadarSvg.Width - line.Sum(EntryWidth)) / 2;
            var y = top + (l * LineHeight);
            foreach (var entry in line)
            {
                // New and moved are marked on the blip, whatever its status.
                RadarBlips.Shape(xml, x + Symbol, y, Symbol, entry.Ring >= 0 ? entry.Ring : 5, null, entry.New, entry.Moved);
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

    private static double EntryWidth(Entry entry) => 30 + TextWidth(entry.Label, RadarSvg.FontSize) + 24;
}
