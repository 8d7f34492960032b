namespace Radar.Core.Vocabulary;

/// <summary>
/// The German names of a measure's fields, keyed by the canonical JSON name of the import format
/// (<c>MeasureJson</c>: <c>area</c>, <c>kpis</c> …): one name per field for the pages, the feeds
/// and the search index alike, in the order a list of changed fields is told in.
/// </summary>
public static class GermanFields
{
    private static readonly (string Field, string Name, string One)[] Table =
    [
        ("id", "Kennung", "Kennung"),
        ("title", "Titel", "Titel"),
        ("status", "Status", "Status"),
        ("progress", "Fortschritt", "Fortschritt"),
        ("area", "Bereich", "Bereich"),
        ("field", "Handlungsfeld", "Handlungsfeld"),
        ("departments", "Referate", "Referat"),
        ("summary", "Kurzbeschreibung", "Kurzbeschreibung"),
        ("description", "Beschreibung", "Beschreibung"),
        ("goals", "Ziele", "Ziel"),
        ("achievements", "Erfolge", "Erfolg"),
        ("highlights", "Highlights", "Highlight"),
        ("outlook", "Ausblick", "Ausblick"),
        ("kpis", "Kennzahlen", "Kennzahl"),
        ("tags", "Schlagwörter", "Schlagwort"),
        ("links", "Links", "Link"),
        ("start", "Beginn", "Beginn"),
        ("end", "Ende", "Ende"),
        ("updated", "Stand der Angaben", "Stand der Angaben"),
    ];

    private static readonly Dictionary<string, int> Positions =
        Table.Select((f, i) => (f.Field, i)).ToDictionary(x => x.Field, x => x.i, StringComparer.Ordinal);

    /// <summary>Every field that has a German name (the canonical JSON names).</summary>
    public static IReadOnlyList<string> Fields { get; } = [.. Table.Select(f => f.Field)];

    /// <summary>"Referate", "Schlagwörter"; the field's own name when it has no German one.</summary>
    public static string Name(string field) => Positions.TryGetValue(field, out var i) ? Table[i].Name : field;

    /// <summary>One of it, as a filter names it: "Referat", "Schlagwort".</summary>
    public static string Singular(string field) => Positions.TryGetValue(field, out var i) ? Table[i].One : field;

    /// <summary>The name for <paramref name="count"/> values: "Referat" for one, "Referate" for more.</summary>
    public static string Name(string field, int count) => count == 1 ? Singular(field) : Name(field);

    /// <summary>Where the field comes in a list of changed fields; unknown fields last.</summary>
    public static int Order(string field) => Positions.GetValueOrDefault(field, int.MaxValue);

    /// <summary>Fields that say nothing to a reader when they change on their own: the id, and the
    /// source's own time stamp, which moves with every edit.</summary>
    public static bool IsBookkeeping(string field) => field is "id" or "updated";
}
