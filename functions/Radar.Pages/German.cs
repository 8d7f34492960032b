using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Radar.Core.Measures;
using Radar.Core.News;

namespace Radar.Pages;

/// <summary>What citizens read, in German: dates in the city's time zone, numbers, the wording of
/// changes and the names of measure fields.</summary>
public static class German
{
    public static CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>The city's clock: dates are shown as people there saw them happen.</summary>
    public static TimeZoneInfo TimeZone { get; } = FindTimeZone();

    /// <summary>"23. Juli 2020".</summary>
    public static string Date(DateTimeOffset at) => Local(at).ToString("d. MMMM yyyy", Culture);

    /// <summary>"23. Juli 2020, 12:00 Uhr".</summary>
    public static string DateTime(DateTimeOffset at) => Local(at).ToString("d. MMMM yyyy, HH:mm 'Uhr'", Culture);

    public static string Date(DateOnly date) => date.ToString("d. MMMM yyyy", Culture);

    /// <summary>"1.250" or "3,5".</summary>
    public static string Number(double value) =>
        value == Math.Round(value) ? value.ToString("#,0", Culture) : value.ToString("#,0.##", Culture);

    /// <summary>ISO 8601 for <c>&lt;time datetime&gt;</c>.</summary>
    public static string MachineTime(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string MachineDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Local(DateTimeOffset at) => System.TimeZoneInfo.ConvertTime(at, TimeZone);

    private static TimeZoneInfo FindTimeZone()
    {
        try
        {
            return System.TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return System.TimeZoneInfo.Utc;
        }
    }

    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        ["id"] = "Kennung",
        ["title"] = "Titel",
        ["summary"] = "Kurzbeschreibung",
        ["description"] = "Beschreibung",
        ["area"] = "Bereich",
        ["field"] = "Handlungsfeld",
        ["departments"] = "Referate",
        ["status"] = "Status",
        ["progress"] = "Fortschritt",
        ["goals"] = "Ziele",
        ["achievements"] = "Erfolge",
        ["highlights"] = "Highlights",
        ["outlook"] = "Ausblick",
        ["kpis"] = "Kennzahlen",
        ["tags"] = "Schlagwörter",
        ["links"] = "Links",
        ["start"] = "Beginn",
        ["end"] = "Ende",
        ["updated"] = "Stand",
    };

    public static string FieldName(string field) => FieldNames.GetValueOrDefault(field, field);

    /// <summary>Fields that say nothing to a reader when they change on their own.</summary>
    public static bool IsBookkeeping(string field) => field is "id" or "updated";

    /// <summary>What happened, without the title (for a measure's own timeline).</summary>
    public static string ChangeKindText(MeasureChange change, RadarDefinition? radar) => change.Kind switch
    {
        ChangeKinds.Created => "In das Radar aufgenommen",
        ChangeKinds.StatusChanged => $"Status von „{StatusLabel(change.From, radar)}“ zu „{StatusLabel(change.To ?? change.Status, radar)}“ geändert",
        ChangeKinds.Removed => "Aus dem Radar entfernt",
        ChangeKinds.Restored => "Wieder in das Radar aufgenommen",
        _ => "Angaben aktualisiert",
    };

    public static string StatusLabel(string? statusId, RadarDefinition? radar) =>
        statusId is null ? "unbekannt" : radar?.Statuses.FirstOrDefault(s => s.Id == statusId)?.Label ?? statusId;

    public static string AreaLabel(string? areaId, RadarDefinition? radar) =>
        areaId is null ? "" : radar?.Areas.FirstOrDefault(a => a.Id == areaId)?.Label ?? areaId;

    /// <summary>"A", "A und B", "A, B und C".</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " und " + items[^1],
    };

    /// <summary>A field's value as a reader wants to see it in a change: labels instead of ids,
    /// lists joined, HTML as shortened text; "—" for nothing.</summary>
    public static string FieldValue(string field, JsonNode? value, RadarDefinition? radar)
    {
        if (value is null)
        {
            return "—";
        }

        try
        {
            return field switch
            {
                "status" => StatusLabel(value.GetValue<string>(), radar),
                "area" => AreaLabel(value.GetValue<string>(), radar),
                "progress" => $"{Number(value.GetValue<double>())} %",
                "description" => NewsHtml.Shorten(NewsHtml.ToText(value.GetValue<string>()), 160),
                "start" or "end" => DateOnly.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, out var date) ? Date(date) : value.GetValue<string>(),
                "updated" => DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? DateTime(at) : value.GetValue<string>(),
                "kpis" => string.Join("; ", value.AsArray().Select(Kpi)),
                "links" => string.Join("; ", value.AsArray().Select(l => l?["title"]?.GetValue<string>() ?? "")),
                _ => value switch
                {
                    JsonArray array => string.Join(", ", array.Select(v => Text(v))),
                    _ => NewsHtml.Shorten(Text(value), 160),
                },
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException)
        {
            return NewsHtml.Shorten(value.ToJsonString(), 160);
        }
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "—",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<double>(out var d) => Number(d),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "ja" : "nein",
        _ => node.ToJsonString(),
    };

    private static string Kpi(JsonNode? node)
    {
        if (node is null)
        {
            return "";
        }

        var name = node["name"]?.GetValue<string>() ?? "";
        var value = node["value"]?.GetValue<double>() ?? 0;
        var unit = node["unit"]?.GetValue<string>();
        var asOf = node["asOf"]?.GetValue<string>();
        var date = asOf is not null && DateOnly.TryParse(asOf, CultureInfo.InvariantCulture, out var d) ? $" ({Date(d)})" : "";
        return $"{name}: {Number(value)}{(unit is null ? "" : " " + unit)}{date}";
    }
}
