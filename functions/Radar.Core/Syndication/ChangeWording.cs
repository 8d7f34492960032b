using System.Globalization;
using System.Text.Json.Nodes;
using Radar.Core.Measures;

namespace Radar.Core.Syndication;

/// <summary>
/// Says in German what a <see cref="MeasureChange"/> did, with the labels of the radar's
/// definition: "Öffentliches WLAN: Status von „In Planung“ zu „In Umsetzung“",
/// "… neu im Radar", "… aktualisiert: Fortschritt 40 % → 60 %, Ziele", "… aus dem Radar
/// entfernt", "… wieder im Radar".
/// </summary>
public static class ChangeWording
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>German names of the measure fields (the import format's names), in the order
    /// they are listed.</summary>
    private static readonly (string Field, string Label)[] FieldLabels =
    [
        ("title", "Titel"),
        ("status", "Status"),
        ("progress", "Fortschritt"),
        ("area", "Kernbereich"),
        ("field", "Handlungsfeld"),
        ("departments", "Referate"),
        ("summary", "Zusammenfassung"),
        ("description", "Beschreibung"),
        ("goals", "Ziele"),
        ("achievements", "Erfolge"),
        ("highlights", "Highlights"),
        ("outlook", "Ausblick"),
        ("kpis", "Kennzahlen"),
        ("tags", "Schlagworte"),
        ("links", "Links"),
        ("start", "Beginn"),
        ("end", "Ende"),
        ("updated", "Stand"),
    ];

    public static string FieldLabel(string field) =>
        FieldLabels.FirstOrDefault(f => f.Field == field).Label ?? field;

    public static FeedLabel AreaLabel(RadarDefinition? radar, string id) =>
        new(id, radar?.Areas.FirstOrDefault(a => a.Id == id)?.Label ?? id);

    public static FeedLabel StatusLabel(RadarDefinition? radar, string id) =>
        new(id, radar?.Statuses.FirstOrDefault(s => s.Id == id)?.Label ?? id);

    /// <summary>The changed fields, German names, values for the short ones. For <c>created</c>
    /// (every field is new) and <c>removed</c> there is nothing worth listing.</summary>
    public static IReadOnlyList<FeedFieldChange> Fields(MeasureChange change, RadarDefinition? radar)
    {
        if (change.Kind is ChangeKinds.Created or ChangeKinds.Removed)
        {
            return [];
        }

        var order = FieldLabels.Select((f, i) => (f.Field, i)).ToDictionary(x => x.Field, x => x.i, StringComparer.Ordinal);
        return
        [
            .. change.Fields
                // The source's own time stamp moves with every edit: saying so adds nothing.
                .Where(f => f.Field != "updated" && !(f.Field == "status" && change.Kind == ChangeKinds.StatusChanged))
                .OrderBy(f => order.GetValueOrDefault(f.Field, int.MaxValue))
                .ThenBy(f => f.Field, StringComparer.Ordinal)
                .Select(f => new FeedFieldChange(f.Field, FieldLabel(f.Field), Show(f.Field, f.Old, radar), Show(f.Field, f.New, radar))),
        ];
    }

    /// <summary>The entry's title: the measure's title and what happened to it.</summary>
    public static string Title(MeasureChange change, RadarDefinition? radar)
    {
        var title = change.Title;
        return change.Kind switch
        {
            ChangeKinds.Created => $"{title} neu im Radar",
            ChangeKinds.Removed => $"{title} aus dem Radar entfernt",
            ChangeKinds.Restored => $"{title} wieder im Radar",
            ChangeKinds.StatusChanged =>
                $"{title}: Status von „{StatusLabel(radar, change.From ?? "?").Label}“ zu „{StatusLabel(radar, change.To ?? change.Status).Label}“",
            _ => Fields(change, radar) is { Count: > 0 } fields
                ? $"{title} aktualisiert: {List(fields)}"
                : $"{title} aktualisiert",
        };
    }

    /// <summary>Plain text for the entry's summary: what happened, then where the measure stands.</summary>
    public static string Summary(MeasureChange change, RadarDefinition? radar)
    {
        var parts = new List<string>();
        var fields = Fields(change, radar);
        switch (change.Kind)
        {
            case ChangeKinds.Created:
                parts.Add($"Neue Maßnahme im {radar?.Title ?? "Radar"}.");
                break;
            case ChangeKinds.Removed:
                parts.Add("Die Maßnahme ist nicht mehr in der Quelle des Radars; ihre Geschichte bleibt erhalten.");
                break;
            case ChangeKinds.Restored:
                parts.Add("Die Maßnahme ist wieder in der Quelle des Radars.");
                break;
            case ChangeKinds.StatusChanged:
                parts.Add($"Status von „{StatusLabel(radar, change.From ?? "?").Label}“ zu „{StatusLabel(radar, change.To ?? change.Status).Label}“.");
                break;
        }

        if (fields.Count > 0)
        {
            parts.Add((change.Kind == ChangeKinds.Updated ? "Geändert: " : "Außerdem geändert: ") + List(fields) + ".");
        }

        parts.Add($"Kernbereich: {AreaLabel(radar, change.Area).Label}. Status: {StatusLabel(radar, change.Status).Label}.");
        return string.Join(" ", parts);
    }

    private static string List(IEnumerable<FeedFieldChange> fields) =>
        string.Join(", ", fields.Select(f => f.Old is not null && f.New is not null ? $"{f.Label} {f.Old} → {f.New}"
            : f.New is not null && f.Old is null && IsShort(f.Field) ? $"{f.Label} {f.New}"
            : f.Label));

    private static bool IsShort(string field) => field is "progress" or "area" or "start" or "end" or "status";

    /// <summary>A short value as readers read it; null for long or list values (only their name is said).</summary>
    private static string? Show(string field, JsonNode? value, RadarDefinition? radar)
    {
        if (value is not JsonValue scalar)
        {
            return null;
        }

        return field switch
        {
            "progress" when scalar.TryGetValue<int>(out var p) => $"{p.ToString(German)} %",
            "progress" when scalar.TryGetValue<double>(out var d) => $"{d.ToString(German)} %",
            "area" when scalar.TryGetValue<string>(out var a) => $"„{AreaLabel(radar, a).Label}“",
            "status" when scalar.TryGetValue<string>(out var s) => $"„{StatusLabel(radar, s).Label}“",
            "start" or "end" when scalar.TryGetValue<string>(out var day) &&
                DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) =>
                date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
