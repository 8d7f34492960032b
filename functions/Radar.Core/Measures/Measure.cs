namespace Radar.Core.Measures;

/// <summary>A measure with every field of the import format (DESIGN.md, "Measure source").
/// <see cref="Area"/> and <see cref="Status"/> are ids of the radar's areas and statuses.</summary>
public sealed record Measure
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public string? Summary { get; init; }

    /// <summary>Longer text, plain or simple HTML, stored as the source gave it (sanitise when rendering).</summary>
    public string? Description { get; init; }

    public required string Area { get; init; }

    public string? Field { get; init; }

    public string[] Departments { get; init; } = [];

    public required string Status { get; init; }

    /// <summary>0–100, when the source says.</summary>
    public int? Progress { get; init; }

    public string[] Goals { get; init; } = [];

    public string[] Achievements { get; init; } = [];

    public string[] Highlights { get; init; } = [];

    public string? Outlook { get; init; }

    /// <summary>Key figures; several entries with one name and different dates form a series.</summary>
    public MeasureKpi[] Kpis { get; init; } = [];

    public string[] Tags { get; init; } = [];

    public MeasureLink[] Links { get; init; } = [];

    public DateOnly? Start { get; init; }

    public DateOnly? End { get; init; }

    /// <summary>When the source last updated the measure (its own statement, not ours).</summary>
    public DateTimeOffset? Updated { get; init; }
}

public sealed record MeasureKpi(string Name, double Value, string? Unit = null, DateOnly? AsOf = null);

public sealed record MeasureLink(string Title, string Url);
