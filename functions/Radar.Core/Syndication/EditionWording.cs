using System.Globalization;
using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;

namespace Radar.Core.Syndication;

/// <summary>
/// A bulk import's German wording as a feed entry: "Digitalisierungsbericht 2024: 5 neue
/// Maßnahmen, 7 mit neuem Status, …" for an edition, "Digitalisierungsradar München: 48
/// Maßnahmen erstmals erfasst" for a first import.
/// </summary>
public static class EditionWording
{
    public static string Title(EditionSummary summary, string radarTitle)
    {
        var counts = summary.Counts;
        if (summary.Kind == EditionSummaryKinds.FirstImport)
        {
            return $"{radarTitle}: {Measures(counts.Created)} erstmals erfasst";
        }

        var parts = Parts(counts);
        return $"{summary.Title}: " + (parts.Count == 0 ? "keine Änderungen" : string.Join(", ", parts));
    }

    public static string Summary(EditionSummary summary, string radarTitle)
    {
        var counts = summary.Counts;
        var total = $"{Measures(counts.Measures)} im Radar";
        if (summary.Kind == EditionSummaryKinds.FirstImport)
        {
            return $"{radarTitle} hat {Measures(counts.Created)} auf einmal übernommen; {total}.";
        }

        var published = summary.Published is { } day ? $", veröffentlicht am {day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}" : "";
        var parts = Parts(counts);
        var what = parts.Count == 0 ? "keine Änderungen gegenüber dem Stand davor" : string.Join(", ", parts);
        return $"{summary.Title}{published}: {what}; {total}.";
    }

    private static List<string> Parts(EditionCounts counts)
    {
        var parts = new List<string>();
        if (counts.Created > 0)
        {
            parts.Add(counts.Created == 1 ? "1 neue Maßnahme" : $"{counts.Created} neue Maßnahmen");
        }

        if (counts.StatusChanged > 0)
        {
            parts.Add($"{counts.StatusChanged} mit neuem Status");
        }

        if (counts.Updated > 0)
        {
            parts.Add($"{counts.Updated} aktualisiert");
        }

        if (counts.Removed > 0)
        {
            parts.Add($"{counts.Removed} entfernt");
        }

        if (counts.Restored > 0)
        {
            parts.Add($"{counts.Restored} wieder im Radar");
        }

        return parts;
    }

    private static string Measures(int count) => count == 1 ? "1 Maßnahme" : $"{count} Maßnahmen";
}
