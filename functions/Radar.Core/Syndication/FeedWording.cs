using Radar.Core.Vocabulary;

namespace Radar.Core.Syndication;

/// <summary>
/// Feed title and description in German, naming the filter, so a reader's subscription list says
/// what each saved search is: "Digitalisierungsradar München – Änderungen zu „wlan“ in Infrastruktur".
/// The filters are named with the vocabulary's field names (<see cref="GermanFields"/>).
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
            about.Add(GermanLabels.Quote(measureTitle));
        }

        if (request.Query.Length > 0)
        {
            about.Add(GermanLabels.Quote(request.Query));
        }

        var text = about.Count == 0 ? "" : " zu " + string.Join(" und ", about);
        if (areas.Count > 0)
        {
            text += " in " + GermanLabels.Either(areas);
        }

        if (statuses.Count > 0)
        {
            parts.Add(GermanFields.Singular("status") + " " + GermanLabels.Either([.. statuses.Select(GermanLabels.Quote)]));
        }

        if (request.Departments.Count > 0)
        {
            parts.Add(GermanFields.Singular("departments") + " " + GermanLabels.Either([.. request.Departments.Select(GermanLabels.Quote)]));
        }

        if (request.Tags.Count > 0)
        {
            parts.Add(GermanFields.Singular("tags") + " " + GermanLabels.Either([.. request.Tags.Select(GermanLabels.Quote)]));
        }

        if (request.From is { } from)
        {
            parts.Add("ab " + GermanFormat.ShortDate(DateOnly.FromDateTime(from.UtcDateTime)));
        }

        if (request.To is { } to)
        {
            parts.Add("bis " + GermanFormat.ShortDate(DateOnly.FromDateTime(to.UtcDateTime.AddTicks(-1))));
        }

        return parts.Count == 0 ? text : text + ", " + string.Join(", ", parts);
    }
}
