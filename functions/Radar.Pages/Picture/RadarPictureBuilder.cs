using Radar.Core.Measures;
using Radar.Core.Vocabulary;
using Radar.Pages.Rendering;

namespace Radar.Pages.Picture;

/// <summary>A radar narrowed by a filter: the measures shown, numbered, with the picture's
/// sectors and rings. The page's picture, its table and <c>/api/radar.svg</c> all come from this,
/// so a number means the same measure everywhere on a page.</summary>
public sealed record FilteredRadar(
    RadarView View,
    RadarFilter Filter,
    IReadOnlyList<RadarSector> Sectors,
    IReadOnlyList<RadarRing> Rings,
    IReadOnlyList<RadarItem> Items,
    IReadOnlyList<RadarMeasure> Measures)
{
    public RadarDefinition Radar => View.Radar;

    public RadarPictureModel Picture(bool forPage) => new(
        Radar.Title + FilterTitle(),
        Description(forPage),
        Sectors,
        Rings,
        Items);

    /// <summary>" – Infrastruktur, In Umsetzung" when filtered.</summary>
    public string FilterTitle()
    {
        var parts = Filter.Areas.Select(a => GermanLabels.Area(Radar, a))
            .Concat(Filter.Statuses.Select(s => GermanLabels.Status(Radar, s)))
            .Concat(Filter.Departments)
            .ToList();
        return parts.Count == 0 ? "" : " – " + string.Join(", ", parts);
    }

    /// <summary>The text alternative: what the picture shows, in numbers.</summary>
    public string Description(bool forPage)
    {
        var sectorKind = Filter.Grouping == RadarGrouping.Field ? "Handlungsfeldern" : "Bereichen";
        var count = Items.Count == 1 ? "1 Maßnahme" : $"{Items.Count} Maßnahmen";
        var rings = string.Join(", ", Rings.Select(r => $"{r.Label} ({Items.Count(i => i.RingId == r.Id)})"));
        var sectors = string.Join(", ", Sectors.Select(s => $"{s.Label} ({Items.Count(i => i.SectorId == s.Id)})"));
        var text = $"Radarbild: {count} in {Sectors.Count} {sectorKind}. Ringe von innen nach außen: {rings}. Sektoren: {sectors}.";
        var marked = Items.Count(i => i.New || i.Moved);
        if (marked > 0)
        {
            text += $" {Items.Count(i => i.New)} neu, {Items.Count(i => !i.New && i.Moved)} mit kürzlich geändertem Status.";
        }

        return forPage ? text + " Die Tabelle unter dem Bild enthält dieselben Angaben." : text;
    }
}

public static class RadarPictureBuilder
{
    public const string NoField = "ohne-handlungsfeld";

    /// <param name="filter">Already resolved against the radar (<see cref="RadarFilter.Resolve"/>).</param>
    public static FilteredRadar Build(RadarView view, RadarFilter filter)
    {
        var radar = view.Radar;
        var rings = radar.Statuses.Select(s => new RadarRing(s.Id, s.Label, s.Description)).ToList();
        var ringOrder = rings.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var inArea = view.Measures.Where(m => filter.Areas.Count == 0 || filter.Areas.Contains(m.Area, StringComparer.Ordinal)).ToList();
        List<RadarSector> sectors;
        Func<RadarMeasure, string> sectorOf;
        if (filter.Grouping == RadarGrouping.Field)
        {
            // Fields in the order of the areas they belong to, then alphabetically.
            var areaOrder = radar.Areas.Select((a, i) => (a.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
            sectors = inArea
                .GroupBy(m => FieldId(m.Field))
                .Select(g => (Sector: new RadarSector(g.Key, g.First().Field ?? "Ohne Handlungsfeld"),
                    Area: g.Min(m => areaOrder.GetValueOrDefault(m.Area, int.MaxValue))))
                .OrderBy(x => x.Area)
                .ThenBy(x => x.Sector.Label, StringComparer.Create(German.Culture, true))
                .Select(x => x.Sector)
                .ToList();
            sectorOf = m => FieldId(m.Field);
        }
        else
        {
            sectors = radar.Areas
                .Where(a => filter.Areas.Count == 0 || filter.Areas.Contains(a.Id, StringComparer.Ordinal))
                .Select(a => new RadarSector(a.Id, a.Label))
                .ToList();
            sectorOf = m => m.Area;
        }

        if (sectors.Count == 0)
        {
            sectors = filter.Grouping == RadarGrouping.Field
                ? [new RadarSector(NoField, "Ohne Handlungsfeld")]
                : radar.Areas.Select(a => new RadarSector(a.Id, a.Label)).ToList();
        }

        var sectorOrder = sectors.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var shown = view.Measures
            .Where(filter.Matches)
            .OrderBy(m => sectorOrder.GetValueOrDefault(sectorOf(m), int.MaxValue))
            .ThenBy(m => ringOrder.GetValueOrDefault(m.Status, int.MaxValue))
            .ThenBy(m => m.Title, StringComparer.Create(German.Culture, true))
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .ToList();
        var items = shown
            .Select((m, i) => new RadarItem(m.Id, m.Title, sectorOf(m), m.Status, i + 1, m.New, m.Moved, m.Url))
            .ToList();
        return new FilteredRadar(view, filter, sectors, rings, items, shown);
    }

    public static string FieldId(string? field) =>
        string.IsNullOrWhiteSpace(field) ? NoField : "f-" + Radar.Core.Slug.From(field);
}
