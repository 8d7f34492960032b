using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Radar.Core.Measures;
using Radar.Core.News;

namespace Radar.Core.Search;

/// <summary>
/// Measures, their changes and news items as the index takes them. Texts a citizen reads in a hit
/// are German: a change document says what happened ("Öffentliches WLAN: Status von „In Planung“
/// zu „In Umsetzung“"), with the radar's own labels for areas and statuses.
/// </summary>
public static class SearchDocumentMapper
{
    /// <summary>Most fields named in an "updated" title before "und N weitere".</summary>
    private const int MaxFieldsInTitle = 3;

    private const int MaxValueLength = 80;

    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>German names of the measure fields, as the CSV headers name them.</summary>
    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        ["id"] = "Kennung",
        ["title"] = "Titel",
        ["summary"] = "Zusammenfassung",
        ["description"] = "Beschreibung",
        ["area"] = "Kernbereich",
        ["field"] = "Handlungsfeld",
        ["departments"] = "Referate",
        ["status"] = "Status",
        ["progress"] = "Fortschritt",
        ["goals"] = "Ziele",
        ["achievements"] = "Erfolge",
        ["highlights"] = "Highlights",
        ["outlook"] = "Ausblick",
        ["kpis"] = "Kennzahlen",
        ["tags"] = "Schlagworte",
        ["links"] = "Links",
        ["start"] = "Beginn",
        ["end"] = "Ende",
        ["updated"] = "Stand",
    };

    /// <summary>A measure on its radar: title, summary, tags and every text a reader may search
    /// for (description as plain text, goals, achievements, highlights, outlook, key figures, the
    /// area's and field's names) in the body.</summary>
    public static SearchDocument Measure(StoredMeasure stored, RadarDefinition? radar, string? defaultRadarId)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var measure = stored.Measure;
        var body = new List<string>
        {
            NewsHtml.ToText(measure.Description),
        };
        body.AddRange(measure.Goals);
        body.AddRange(measure.Achievements);
        body.AddRange(measure.Highlights);
        body.Add(measure.Outlook ?? string.Empty);
        body.AddRange(measure.Kpis.Select(kpi => kpi.Name));
        body.Add(AreaLabel(radar, measure.Area));
        body.Add(measure.Field ?? string.Empty);
        return new SearchDocument
        {
            Type = SearchDocumentTypes.Measure,
            Id = measure.Id,
            RadarId = stored.RadarId,
            Title = measure.Title,
            Summary = measure.Summary,
            Body = Join(body),
            Tags = measure.Tags,
            Area = measure.Area,
            Status = measure.Status,
            Departments = measure.Departments,
            Field = measure.Field,
            Source = stored.SourceId,
            Date = measure.Updated ?? stored.ChangedAt,
            Url = RadarQueries.MeasureUrl(measure.Id, stored.RadarId, defaultRadarId),
            MeasureId = measure.Id,
        };
    }

    /// <summary>A change of a measure. <paramref name="measure"/> (its state after the change, or
    /// the current one) lends departments and tags, so that filters and searches for them find
    /// the change too.</summary>
    public static SearchDocument Change(MeasureChange change, RadarDefinition? radar, Measure? measure, string? defaultRadarId)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new SearchDocument
        {
            Type = SearchDocumentTypes.Change,
            Id = change.Id,
            RadarId = change.RadarId,
            Title = ChangeTitle(change, radar),
            Summary = ChangeSummary(change, radar),
            Body = change.Kind is ChangeKinds.Created or ChangeKinds.Restored ? measure?.Summary : null,
            Tags = measure?.Tags ?? [],
            Area = change.Area,
            Status = change.Status,
            Departments = measure?.Departments ?? [],
            Field = measure?.Field,
            Source = change.SourceId,
            Date = change.At,
            Url = RadarQueries.MeasureUrl(change.MeasureId, change.RadarId, defaultRadarId),
            MeasureId = change.MeasureId,
        };
    }

    /// <summary>A news item. <paramref name="relatedRadarId"/> is the radar its related measure
    /// ids belong to; the item is filed under that radar when it relates to any of its measures.</summary>
    public static SearchDocument News(NewsItem item, string? relatedRadarId)
    {
        ArgumentNullException.ThrowIfNull(item);
        var related = relatedRadarId is null
            ? []
            : item.RelatedMeasures.Select(id => SearchDocument.RelatedKey(relatedRadarId, id)).ToList();
        return new SearchDocument
        {
            Type = SearchDocumentTypes.News,
            Id = item.Key,
            RadarId = related.Count > 0 ? relatedRadarId : null,
            Title = item.Title,
            Summary = item.Summary,
            Body = NewsHtml.ToText(item.ContentHtml),
            Tags = item.Tags,
            Source = item.Sources.Count > 0 ? item.Sources[0].Name : null,
            Date = item.Published,
            Url = item.Link,
            RelatedMeasures = related,
        };
    }

    /// <summary>What happened, in one German line, e.g. "Öffentliches WLAN: Status von „In
    /// Planung“ zu „In Umsetzung“".</summary>
    public static string ChangeTitle(MeasureChange change, RadarDefinition? radar)
    {
        ArgumentNullException.ThrowIfNull(change);
        var what = change.Kind switch
        {
            ChangeKinds.Created => "neu auf dem Radar",
            ChangeKinds.StatusChanged => $"Status von „{StatusLabel(radar, change.From)}“ zu „{StatusLabel(radar, change.To ?? change.Status)}“",
            ChangeKinds.Removed => "vom Radar genommen",
            ChangeKinds.Restored => "wieder auf dem Radar",
            _ => Updated(change.Fields),
        };
        return $"{change.Title}: {what}";
    }

    /// <summary>The change in a sentence or two, with old and new values of short fields.</summary>
    public static string ChangeSummary(MeasureChange change, RadarDefinition? radar)
    {
        ArgumentNullException.ThrowIfNull(change);
        var status = StatusLabel(radar, change.Status);
        var area = AreaLabel(radar, change.Area);
        switch (change.Kind)
        {
            case ChangeKinds.Created:
                return $"Neue Maßnahme „{change.Title}“ im Bereich „{area}“, Status „{status}“.";
            case ChangeKinds.Removed:
                return $"Die Maßnahme „{change.Title}“ steht nicht mehr auf dem Radar (zuletzt „{status}“).";
            case ChangeKinds.Restored:
                return $"Die Maßnahme „{change.Title}“ steht wieder auf dem Radar, Status „{status}“." + Details(change, radar, skipStatus: false);
            case ChangeKinds.StatusChanged:
                return $"Der Status von „{change.Title}“ ist jetzt „{StatusLabel(radar, change.To ?? change.Status)}“ (vorher „{StatusLabel(radar, change.From)}“)."
                    + Details(change, radar, skipStatus: true);
            default:
                var details = Details(change, radar, skipStatus: false).Trim();
                return details.Length > 0 ? details : $"Die Maßnahme „{change.Title}“ wurde aktualisiert.";
        }
    }

    private static string Updated(IReadOnlyList<FieldChange> fields)
    {
        var names = fields.Select(f => FieldName(f.Field)).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            return "aktualisiert";
        }

        if (names.Count > MaxFieldsInTitle)
        {
            var rest = names.Count - (MaxFieldsInTitle - 1);
            return $"{string.Join(", ", names.Take(MaxFieldsInTitle - 1))} und {rest} weitere Angaben aktualisiert";
        }

        return names.Count == 1
            ? $"{names[0]} aktualisiert"
            : $"{string.Join(", ", names.Take(names.Count - 1))} und {names[^1]} aktualisiert";
    }

    // " Fortschritt: 40 % → 60 %. Beschreibung geändert." — short values shown, long ones named.
    private static string Details(MeasureChange change, RadarDefinition? radar, bool skipStatus)
    {
        var text = new StringBuilder();
        foreach (var field in change.Fields)
        {
            if (skipStatus && field.Field == "status")
            {
                continue;
            }

            var name = FieldName(field.Field);
            var before = Show(field.Field, field.Old, radar);
            var after = Show(field.Field, field.New, radar);
            text.Append(' ');
            text.Append(before is not null && after is not null
                ? $"{name}: {before} → {after}."
                : after is not null && field.Old is null
                    ? $"{name}: {after}."
                    : field.New is null
                        ? $"{name} entfernt."
                        : $"{name} geändert.");
        }

        return text.ToString();
    }

    /// <summary>A field value as a reader would write it, or null when it is too long to show.</summary>
    private static string? Show(string field, JsonNode? value, RadarDefinition? radar)
    {
        if (value is null)
        {
            return null;
        }

        string? text = field switch
        {
            "status" => StatusLabel(radar, value.GetValue<string>()),
            "area" => AreaLabel(radar, value.GetValue<string>()),
            "progress" when value is JsonValue number && number.TryGetValue<int>(out var percent) => $"{percent} %",
            "start" or "end" when value is JsonValue day && DateOnly.TryParse(day.GetValue<string>(), CultureInfo.InvariantCulture, out var date) =>
                date.ToString("d.M.yyyy", German),
            "updated" when value is JsonValue at && DateTimeOffset.TryParse(at.GetValue<string>(), CultureInfo.InvariantCulture, out var time) =>
                time.ToString("d.M.yyyy", German),
            "departments" or "tags" when value is JsonArray list => string.Join(", ", list.Select(v => v?.ToString())),
            _ when value is JsonValue plain && plain.TryGetValue<string>(out var s) => s,
            _ => null,
        };
        return text is null || text.Length > MaxValueLength || text.Contains('<', StringComparison.Ordinal) ? null : text;
    }

    private static string FieldName(string field) => FieldNames.TryGetValue(field, out var name) ? name : field;

    private static string StatusLabel(RadarDefinition? radar, string? status) =>
        radar?.Statuses.FirstOrDefault(s => s.Id == status)?.Label ?? status ?? "?";

    private static string AreaLabel(RadarDefinition? radar, string? area) =>
        radar?.Areas.FirstOrDefault(a => a.Id == area)?.Label ?? area ?? string.Empty;

    private static string Join(IEnumerable<string> parts) =>
        string.Join("\n", parts.Where(part => !string.IsNullOrWhiteSpace(part)).Select(part => part.Trim()));
}
