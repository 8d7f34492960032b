using System.Globalization;
using System.Text;
using System.Xml;
using Radar.Core.Measures;
using Radar.Pages.Rendering;
using static Radar.Pages.Picture.Svg;

namespace Radar.Pages.Picture;

/// <summary>A small line chart of one key figure over dates, as inline SVG (written with an
/// <see cref="XmlWriter"/>), with its values as the text alternative.</summary>
public static class KpiChart
{
    private const double Width = 360;
    private const double Height = 170;
    private const double Left = 16;
    private const double Right = 16;
    private const double Top = 28;
    private const double Bottom = 34;

    /// <param name="values">At least two, ordered by date.</param>
    public static string Write(string name, string? unit, IReadOnlyList<MeasureKpi> values, string id)
    {
        var dates = values.Select(v => v.AsOf!.Value.ToDateTime(TimeOnly.MinValue).Ticks).ToList();
        var first = dates[0];
        var span = Math.Max(1, dates[^1] - first);
        var max = values.Max(v => v.Value);
        var min = Math.Min(0, values.Min(v => v.Value));
        var range = max - min == 0 ? 1 : (max - min) * 1.1;
        double X(int i) => Left + ((Width - Left - Right) * (dates[i] - first) / span);
        double Y(double v) => Top + ((Height - Top - Bottom) * (1 - ((v - min) / range)));

        // Years when every value is from another year, else month and year at the ends only.
        var byYear = values.Select(v => v.AsOf!.Value.Year).Distinct().Count() == values.Count;
        string DateLabel(int i) => byYear
            ? values[i].AsOf!.Value.Year.ToString(CultureInfo.InvariantCulture)
            : values[i].AsOf!.Value.ToString("MM/yyyy", CultureInfo.InvariantCulture);
        bool Labelled(int i) => i == 0 || i == values.Count - 1 || (values.Count <= 6 && byYear);

        var builder = new StringBuilder();
        using (var xml = XmlWriter.Create(builder, new XmlWriterSettings { OmitXmlDeclaration = true, ConformanceLevel = ConformanceLevel.Fragment }))
        {
            xml.WriteStartElement("svg", Namespace);
            Attr(xml, "viewBox", $"0 0 {N(Width)} {N(Height)}");
            Attr(xml, "class", "kpi-chart");
            Attr(xml, "role", "img");
            Attr(xml, "aria-labelledby", id);
            Attr(xml, "font-family", FontFamily);
            Attr(xml, "font-size", "12");
            xml.WriteStartElement("title", Namespace);
            Attr(xml, "id", id);
            xml.WriteString($"{name}: " + string.Join(", ", values.Select(v => $"{German.Date(v.AsOf!.Value)}: {Value(v.Value, unit)}")));
            xml.WriteEndElement();

            // Base line.
            Line(xml, Left, Height - Bottom, Width - Right, Height - Bottom, "#8a949e", 1);
            var points = string.Join(' ', values.Select((v, i) => $"{N(X(i))},{N(Y(v.Value))}"));
            xml.WriteStartElement("polyline", Namespace);
            Attr(xml, "points", points);
            Attr(xml, "fill", "none");
            Attr(xml, "stroke", "#0d5ea8");
            Attr(xml, "stroke-width", "2.5");
            xml.WriteEndElement();
            for (var i = 0; i < values.Count; i++)
            {
                xml.WriteStartElement("circle", Namespace);
                Attr(xml, "cx", N(X(i)));
                Attr(xml, "cy", N(Y(values[i].Value)));
                Attr(xml, "r", "4");
                Attr(xml, "fill", "#0d5ea8");
                xml.WriteEndElement();
                if (Labelled(i))
                {
                    Text(xml, X(i), Y(values[i].Value) - 9, German.Number(values[i].Value), Anchor(i, values.Count), "#1b1f24", true);
                    Text(xml, X(i), Height - Bottom + 18, DateLabel(i), Anchor(i, values.Count), "#4a5561", false);
                }
            }

            xml.WriteEndElement();
        }

        return builder.ToString();
    }

    private static string Anchor(int i, int count) => i == 0 ? "start" : i == count - 1 ? "end" : "middle";

    public static string Value(double value, string? unit) => unit is null ? German.Number(value) : $"{German.Number(value)} {unit}";

    private static void Text(XmlWriter xml, double x, double y, string text, string anchor, string fill, bool bold)
    {
        xml.WriteStartElement("text", Namespace);
        Attr(xml, "x", N(x));
        Attr(xml, "y", N(y));
        Attr(xml, "text-anchor", anchor);
        Attr(xml, "fill", fill);
        Attr(xml, "aria-hidden", "true");
        if (bold)
        {
            Attr(xml, "font-weight", "600");
        }

        xml.WriteString(text);
        xml.WriteEndElement();
    }
}
