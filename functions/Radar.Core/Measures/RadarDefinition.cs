namespace Radar.Core.Measures;

/// <summary>
/// A radar as its source defines it: sectors (<see cref="Areas"/>) and rings
/// (<see cref="Statuses"/>, innermost first). Both are data, so any city brings its own.
/// </summary>
public sealed record RadarDefinition
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    public required RadarArea[] Areas { get; init; }

    /// <summary>Rings, innermost (most advanced) first.</summary>
    public required RadarStatus[] Statuses { get; init; }

    public RadarArea? FindArea(string? typed) => Find(Areas, typed, a => a.Id, a => a.Label);

    public RadarStatus? FindStatus(string? typed) => Find(Statuses, typed, s => s.Id, s => s.Label);

    /// <summary>By id or by label as people type them: case, umlauts (ä/ae), spaces and hyphens
    /// do not matter ("In Umsetzung", "in-umsetzung", "IN UMSETZUNG").</summary>
    private static T? Find<T>(IEnumerable<T> items, string? typed, Func<T, string> id, Func<T, string> label)
        where T : class
    {
        var key = Slug.From(typed);
        if (key.Length == 0)
        {
            return null;
        }

        return items.FirstOrDefault(i => Slug.From(id(i)) == key) ?? items.FirstOrDefault(i => Slug.From(label(i)) == key);
    }
}

public sealed record RadarArea(string Id, string Label, string? Description = null);

/// <param name="Color">Colour of the ring as <c>#rrggbb</c>; null: <see cref="StatusPalette"/> picks one.</param>
public sealed record RadarStatus(string Id, string Label, string? Description = null, string? Color = null);
