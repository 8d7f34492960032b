using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Radar.Core.Measures;
using Radar.Core.News.Normalising;

namespace Radar.Core.Vocabulary;

/// <summary>A changed field as a reader is told it: the German name and, for short values, old
/// and new as shown (null: only the name is said).</summary>
public sealed record ChangedField(string Field, string Name, string? Old, string? New);

/// <summary>
/// Says in German what a <see cref="MeasureChange"/> did, with the labels of the radar's
/// definition — the one wording of feeds, widget, search hits and pages:
/// "Öffentliches WLAN: Status von „In Planung“ zu „In Umsetzung“", "… neu im Radar",
/// "… aktualisiert: Fortschritt 40 % → 60 %, Ziele", "… aus dem Radar entfernt", "… wieder im Radar".
/// On the measure's own page, where its title stands above, the same without it
/// (<see cref="OnItsPage"/>).
/// </summary>
public static class GermanChanges
{
    private const int FullValueLength = 160;

    /// <summary>What happened, after the measure's title (a headline) and on its own page.</summary>
    private static readonly Dictionary<string, (string Headline, string OnItsPage)> Kinds = new(StringComparer.Ordinal)
    {
        [ChangeKinds.Created] = ("neu im Radar", "In das Radar aufgenommen"),
        [ChangeKinds.Removed] = ("aus dem Radar entfernt", "Aus dem Radar entfernt"),
        [ChangeKinds.Restored] = ("wieder im Radar", "Wieder in das Radar aufgenommen"),
        [ChangeKinds.Updated] = ("aktualisiert", "Angaben aktualisiert"),
    };

    /// <summary>The measure's title and what happened to it: feed entries, search hits, the
    /// latest changes on the home page.</summary>
    public static string Headline(MeasureChange change, RadarDefinition? radar)
    {
        ArgumentNullException.ThrowIfNull(change);
        var title = change.Title;
        return change.Kind switch
        {
            ChangeKinds.StatusChanged => $"{title}: {StatusMove(change, radar)}",
            ChangeKinds.Created or ChangeKinds.Removed or ChangeKinds.Restored => $"{title} {Kinds[change.Kind].Headline}",
            _ => Fields(change, radar) is { Count: > 0 } fields
                ? $"{title} {Kinds[ChangeKinds.Updated].Headline}: {List(fields)}"
                : $"{title} {Kinds[ChangeKinds.Updated].Headline}",
        };
    }

    /// <summary>What happened, without the title: a measure's own timeline.</summary>
    public static string OnItsPage(MeasureChange change, RadarDefinition? radar)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Kind == ChangeKinds.StatusChanged
            ? $"{StatusMove(change, radar)} geändert"
            : Kinds.GetValueOrDefault(change.Kind, Kinds[ChangeKinds.Updated]).OnItsPage;
    }

    /// <summary>Plain text for a summary: what happened, then where the measure stands.</summary>
    public static string Summary(MeasureChange change, RadarDefinition? radar)
    {
        ArgumentNullException.ThrowIfNull(change);
        var parts = new List<string>();
        var fields = Fields(change, radar);
        switch (change.Kind)
        {
            case ChangeKinds.Created:
                parts.Add($"Neue Maßnahme {GermanLabels.Quote(change.Title)} im {radar?.Title ?? "Radar"}.");
                break;
            case ChangeKinds.Removed:
                parts.Add($"Die Maßnahme {GermanLabels.Quote(change.Title)} ist nicht mehr in der Quelle des Radars; ihre Geschichte bleibt erhalten.");
                break;
            case ChangeKinds.Restored:
                parts.Add($"Die Maßnahme {GermanLabels.Quote(change.Title)} ist wieder in der Quelle des Radars.");
                break;
            case ChangeKinds.StatusChanged:
                parts.Add($"{StatusMove(change, radar)}.");
                break;
        }

        if (fields.Count > 0)
        {
            parts.Add((change.Kind == ChangeKinds.Updated ? "Geändert: " : "Außerdem geändert: ") + List(fields) + ".");
        }

        parts.Add($"{GermanFields.Name("area")}: {GermanLabels.Area(radar, change.Area)}. {GermanFields.Name("status")}: {GermanLabels.Status(radar, change.Status)}.");
        return string.Join(" ", parts);
    }

    /// <summary>The changed fields worth telling, in the vocabulary's order, with short values.
    /// For <c>created</c> (every field is new) and <c>removed</c> there is nothing to list; the
    /// source's time stamp and, for a status change, the status itself are said elsewhere.</summary>
    public static IReadOnlyList<ChangedField> Fields(MeasureChange change, RadarDefinition? radar)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.Kind is ChangeKinds.Created or ChangeKinds.Removed)
        {
            return [];
        }

        return
        [
            .. change.Fields
                .Where(f => !GermanFields.IsBookkeeping(f.Field) && !(f.Field == "status" && change.Kind == ChangeKinds.StatusChanged))
                .OrderBy(f => GermanFields.Order(f.Field))
                .ThenBy(f => f.Field, StringComparer.Ordinal)
                .Select(f => new ChangedField(f.Field, GermanFields.Name(f.Field), ShortValue(f.Field, f.Old, radar), ShortValue(f.Field, f.New, radar))),
        ];
    }

    /// <summary>A short value as it stands in a line of text ("40 %", „Infrastruktur“,
    /// "31.12.2027"); null for long or list values, of which only the name is said.</summary>
    public static string? ShortValue(string field, JsonNode? value, RadarDefinition? radar)
    {
        if (value is not JsonValue scalar)
        {
            return null;
        }

        return field switch
        {
            "progress" when scalar.TryGetValue<int>(out var p) => $"{GermanFormat.Number(p)} %",
            "progress" when scalar.TryGetValue<double>(out var d) => $"{GermanFormat.Number(d)} %",
            "area" when scalar.TryGetValue<string>(out var a) => GermanLabels.Quote(GermanLabels.Area(radar, a)),
            "status" when scalar.TryGetValue<string>(out var s) => GermanLabels.Quote(GermanLabels.Status(radar, s)),
            "start" or "end" when scalar.TryGetValue<string>(out var day) &&
                DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) =>
                GermanFormat.ShortDate(date),
            _ => null,
        };
    }

    /// <summary>A field's value in full, as a measure's timeline shows old and new: labels
    /// instead of ids, lists joined, HTML as shortened text; "—" for nothing.</summary>
    public static string FullValue(string field, JsonNode? value, RadarDefinition? radar)
    {
        if (value is null)
        {
            return "—";
        }

        try
        {
            return field switch
            {
                "status" => GermanLabels.Status(radar, value.GetValue<string>()),
                "area" => GermanLabels.Area(radar, value.GetValue<string>()),
                "progress" => $"{GermanFormat.Number(value is JsonValue n && n.TryGetValue<int>(out var whole) ? whole : value.GetValue<double>())} %",
                "description" => NewsHtml.Shorten(NewsHtml.ToText(value.GetValue<string>()), FullValueLength),
                "start" or "end" => DateOnly.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, out var date) ? GermanFormat.Date(date) : value.GetValue<string>(),
                "updated" => DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? GermanFormat.DateTime(at) : value.GetValue<string>(),
                "kpis" => string.Join("; ", value.AsArray().Select(Kpi)),
                "links" => string.Join("; ", value.AsArray().Select(l => l?["title"]?.GetValue<string>() ?? "")),
                _ => value switch
                {
                    JsonArray array => string.Join(", ", array.Select(Text)),
                    _ => NewsHtml.Shorten(Text(value), FullValueLength),
                },
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException)
        {
            return NewsHtml.Shorten(value.ToJsonString(), FullValueLength);
        }
    }

    private static string StatusMove(MeasureChange change, RadarDefinition? radar) =>
        $"Status von {GermanLabels.Quote(GermanLabels.Status(radar, change.From))} zu {GermanLabels.Quote(GermanLabels.Status(radar, change.To ?? change.Status))}";

    // "Fortschritt 40 % → 60 %, Kernbereich „Infrastruktur“, Ziele"
    private static string List(IEnumerable<ChangedField> fields) =>
        string.Join(", ", fields.Select(f => f.Old is not null && f.New is not null ? $"{f.Name} {f.Old} → {f.New}"
            : f.New is not null && f.Old is null && IsShort(f.Field) ? $"{f.Name} {f.New}"
            : f.Name));

    private static bool IsShort(string field) => field is "progress" or "area" or "start" or "end" or "status";

    private static string Text(JsonNode? node) => node switch
    {
        null => "—",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<double>(out var d) => GermanFormat.Number(d),
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
        var date = asOf is not null && DateOnly.TryParse(asOf, CultureInfo.InvariantCulture, out var d) ? $" ({GermanFormat.Date(d)})" : "";
        return $"{name}: {GermanFormat.Number(value)}{(unit is null ? "" : " " + unit)}{date}";
    }
}
