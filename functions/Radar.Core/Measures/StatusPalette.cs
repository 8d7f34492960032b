using System.Globalization;

namespace Radar.Core.Measures;

/// <summary>
/// The one source of the status colours: the radar picture, the widgets (<c>/api/radar</c>) and
/// the pages all take a ring's colour from here. A radar definition may set a status's
/// <c>color</c>; otherwise the ring's position picks a default. The defaults are distinguishable
/// with the common colour-vision deficiencies (blue/orange/purple/green differ in lightness too,
/// after Okabe and Ito) and each has at least 4.5:1 contrast against white, so they work as text
/// and as thin marks on the white page.
/// </summary>
public static class StatusPalette
{
    /// <summary>Innermost (most advanced) ring first.</summary>
    public static readonly IReadOnlyList<string> Defaults =
    [
        "#1b7a3e", // green: done
        "#0b5cad", // blue: under way
        "#9a5200", // amber: planned
        "#7a4e9c", // purple: idea
        "#a3324b", // red
        "#4d5b66", // slate
    ];

    /// <summary>The colour of ring <paramref name="index"/> (0 = innermost) when the definition sets none.</summary>
    public static string Default(int index) => Defaults[index % Defaults.Count];

    /// <summary>The definition with a colour on every status: its own, else the default of its ring.</summary>
    public static RadarDefinition Apply(RadarDefinition radar) => radar with
    {
        Statuses = [.. radar.Statuses.Select((s, i) => s.Color is { } own && IsColor(own) ? s : s with { Color = Default(i) })],
    };

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public static bool IsColor(string? value) =>
        value is { Length: 7 } && value[0] == '#' && !value.AsSpan(1).ContainsAnyExcept(HexDigits);

    /// <summary>WCAG 2 contrast ratio of two <c>#rrggbb</c> colours (1–21).</summary>
    public static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(string color)
    {
        double Channel(int offset)
        {
            var c = int.Parse(color.AsSpan(offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(1)) + (0.7152 * Channel(3)) + (0.0722 * Channel(5));
    }
}
