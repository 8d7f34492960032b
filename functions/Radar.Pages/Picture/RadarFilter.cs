using Radar.Core;
using Radar.Core.Measures;

namespace Radar.Pages.Picture;

/// <summary>What the picture's sectors are.</summary>
public enum RadarGrouping
{
    Area,
    Field,
}

/// <summary>
/// The filters of the home page and of <c>/api/radar.svg</c>: areas, statuses, departments (each
/// any of several values; all kinds together), and the grouping of the sectors, as the HTTP edge
/// binds them from the query string. Values are matched as people type them (ids or labels;
/// case, umlauts and hyphens do not matter).
/// </summary>
public sealed record RadarFilter
{
    public static RadarFilter None { get; } = new();

    public IReadOnlyList<string> Areas { get; init; } = [];

    public IReadOnlyList<string> Statuses { get; init; } = [];

    public IReadOnlyList<string> Departments { get; init; } = [];

    public RadarGrouping Grouping { get; init; } = RadarGrouping.Area;

    public bool IsEmpty => Areas.Count == 0 && Statuses.Count == 0 && Departments.Count == 0;

    /// <summary>The filter with area and status values replaced by the radar's ids; values the
    /// radar does not know are returned in <paramref name="unknown"/>.</summary>
    public RadarFilter Resolve(RadarDefinition radar, out IReadOnlyList<string> unknown)
    {
        var missing = new List<string>();
        var areas = Areas.Select(a => radar.FindArea(a)?.Id ?? Remember(missing, $"Bereich „{a}“", a)).Distinct(StringComparer.Ordinal).ToList();
        var statuses = Statuses.Select(s => radar.FindStatus(s)?.Id ?? Remember(missing, $"Status „{s}“", s)).Distinct(StringComparer.Ordinal).ToList();
        unknown = missing;
        return this with { Areas = areas, Statuses = statuses };
    }

    public bool Matches(RadarMeasure measure) =>
        (Areas.Count == 0 || Areas.Contains(measure.Area, StringComparer.Ordinal)) &&
        (Statuses.Count == 0 || Statuses.Contains(measure.Status, StringComparer.Ordinal)) &&
        (Departments.Count == 0 || measure.Departments.Any(d => Departments.Any(f => SameName(d, f))));

    public static bool SameName(string a, string b) => Slug.From(a) == Slug.From(b);

    private static string Remember(List<string> missing, string text, string value)
    {
        missing.Add(text);
        return value;
    }
}
