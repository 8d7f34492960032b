using System.Text;
using System.Xml;
using static Radar.Pages.Picture.Svg;

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
/// Draws the radar as SVG: rings (one per status, innermost first) crossed by sectors (one per
/// area or field), ring names in a band at 12 o'clock (<see cref="RadarBackdrop"/>), sector names
/// around the circle (<see cref="SectorLabels"/>), a blip per measure (<see cref="RadarBlips"/>:
/// colour, shape and ring say its status; the number links it to the table; marks for new and
/// moved measures), and a legend (<see cref="RadarLegend"/>). Where the blips go is
/// <see cref="RadarLayout"/>'s; this file sets the picture's size and frame and draws the parts
/// in order, each over the one before.
/// </summary>
public static class RadarSvg
{
    internal const double Width = 960;
    internal const double FontSize = 14;
    internal const double RingLabelSize = 11;
    internal const string TextColour = "#1b1f24";
    internal const string Muted = "#4a5561";

    private const double Radius = 320;
    private const double CenterX = Width / 2;
    private const double CenterY = Radius + 70;

    public static byte[] Write(RadarPictureModel model, RadarSvgOptions options)
    {
        var geometry = Layout(model);
        var legendTop = CenterY + Radius + 72;
        var legendLines = RadarLegend.Lines(model);
        var sectorLabels = SectorLabels.Place(model, geometry);
        // The picture scales to its column, and an SVG clips what lies outside its viewBox: the
        // box grows to hold every sector label (estimated generously), however long.
        var (left, top, right, bottom) = SectorLabels.Bounds(sectorLabels);
        var minX = Math.Floor(Math.Min(0, left - SectorLabels.Margin));
        var minY = Math.Floor(Math.Min(0, top - SectorLabels.Margin));
        var width = Math.Ceiling(Math.Max(Width, right + SectorLabels.Margin)) - minX;
        var height = Math.Max(legendTop + RadarLegend.Height(legendLines), bottom + SectorLabels.Margin) - minY;

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
            Attr(xml, "font-family", FontFamily);
            Attr(xml, "font-size", N(FontSize));
            Attr(xml, "fill", TextColour);

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

            RadarBackdrop.WriteRings(xml, geometry);
            RadarBackdrop.WriteSectorLines(xml, geometry);
            RadarBackdrop.WriteRingLabels(xml, model, geometry);
            SectorLabels.Write(xml, sectorLabels);
            RadarBlips.Write(xml, model, geometry);
            RadarLegend.Write(xml, legendLines, legendTop);
            xml.WriteEndElement();
        }

        return stream.ToArray();
    }

    /// <summary>The layout alone (tests check it for overlaps).</summary>
    public static RadarGeometry Layout(RadarPictureModel model) =>
        RadarLayout.Place(model.Sectors, model.Rings, model.Items, CenterX, CenterY, Radius,
            ringLabelWidths: model.Rings.Select(r => TextWidth(r.Label, RingLabelSize)).ToList());
}
