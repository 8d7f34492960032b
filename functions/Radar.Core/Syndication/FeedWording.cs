namespace Radar.Core.Syndication;

/// <summary>
/// Feed title and description in German, naming the filter, so a reader's subscription list says
/// what each saved search is: "Digitalisierungsradar München – Änderungen zu „wlan“ in Infrastruktur".
/// </summary>
public static class FeedWording
{
    public static string Title(FeedRequest request, string radarTitle, IReadOnlyList<string> areas, IReadOnlyList<string> statuses, string? measureTitle)
    {
        var what = request.Types.Count == 1 && request.Wants(FeedEntryTypes.News) ? "Nachrichten"
            : request.Types.Count == 1 ? "Änderungen an Maßnahmen"
            : "Änderungen";
        return $"{radarTitle} – {what}{Filter(request, areas, statuses, measureTitle)}";
    }

    public static string Description(FeedRequest request, string radarTitle, IReadOnlyList<string> areas, IReadOnlyList<string> statuses, string? measureTitle)
    {
        var what = request.Types.Count == 1 && request.Wants(FeedEntryTypes.News) ? "Die neuesten Nachrichten"
            : request.Types.Count == 1 ? "Die neuesten Änderungen an Maßnahmen"
            : "Die neuesten Änderungen an Maßnahmen und Nachrichten";
        return $"{what} im {radarTitle}{Filter(request, areas, statuses, measureTitle)}, neueste zuerst.";
    }

    private static string Filter(FeedRequest request, IReadOnlyList<string> areas, IReadOnlyList<string> statuses, string? measureTitle)
    {
        var parts = new List<string>();
        var about = new List<string>();
        if (measureTitle is not null)
        {
            about.Add($"„{measureTitle}“");
        }

        if (request.Query.Length > 0)
        {
            about.Add($"„{request.Query}“");
        }

        var text = about.Count == 0 ? "" : " zu " + string.Join(" und ", about);
        if (areas.Count > 0)
        {
            text += " in " + Either(areas.ToList());
        }

        if (statuses.Count > 0)
        {
            parts.Add("Status " + Either([.. statuses.Select(Quote)]));
        }

        if (request.Departments.Count > 0)
        {
            parts.Add("Referat " + Either([.. request.Departments.Select(Quote)]));
        }

        if (request.Tags.Count > 0)
        {
            parts.Add("Schlagwort " + Either([.. request.Tags.Select(Quote)]));
        }

        if (request.From is { } from)
        {
            parts.Add("ab " + from.UtcDateTime.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (request.To is { } to)
        {
            parts.Add("bis " + to.UtcDateTime.AddTicks(-1).ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? text : text + ", " + string.Join(", ", parts);
    }

    private static string Quote(string value) => $"„{value}“";

    private static string Either(List<string> values) =>
        values.Count == 1 ? values[0] : string.Join(", ", values[..^1]) + " oder " + values[^1];
}
