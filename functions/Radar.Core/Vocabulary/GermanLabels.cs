using Radar.Core.Measures;

namespace Radar.Core.Vocabulary;

/// <summary>A radar's areas and statuses by the labels its definition gives them, and the few
/// German joining words every list uses.</summary>
public static class GermanLabels
{
    /// <summary>The status's label ("In Umsetzung"); its id without a definition that knows it;
    /// "unbekannt" for none.</summary>
    public static string Status(RadarDefinition? radar, string? statusId) =>
        statusId is null ? "unbekannt" : radar?.Statuses.FirstOrDefault(s => s.Id == statusId)?.Label ?? statusId;

    /// <summary>The area's label ("Infrastruktur"); its id without a definition that knows it;
    /// empty for none.</summary>
    public static string Area(RadarDefinition? radar, string? areaId) =>
        areaId is null ? "" : radar?.Areas.FirstOrDefault(a => a.Id == areaId)?.Label ?? areaId;

    /// <summary>„In Planung“.</summary>
    public static string Quote(string text) => $"„{text}“";

    /// <summary>"A", "A und B", "A, B und C".</summary>
    public static string All(IReadOnlyList<string> items) => Join(items, "und");

    /// <summary>"A", "A oder B", "A, B oder C".</summary>
    public static string Either(IReadOnlyList<string> items) => Join(items, "oder");

    private static string Join(IReadOnlyList<string> items, string last) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + $" {last} " + items[^1],
    };
}
