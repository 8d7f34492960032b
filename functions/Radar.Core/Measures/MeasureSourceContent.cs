namespace Radar.Core.Measures;

/// <summary>A record of a source that was not taken, with where it is and why.</summary>
/// <param name="Index">Position in the JSON <c>measures</c> array (0-based).</param>
/// <param name="Line">Line in the CSV file (1-based, the header is line 1).</param>
public sealed record SkippedRecord(int? Index, int? Line, string? Id, string Reason)
{
    public string Where => Line is { } line ? $"line {line}" : $"measures[{Index}]";
}

/// <summary>
/// What a measure source says, read and validated: its radar, the measures that passed, the
/// records that did not. <see cref="KeptIds"/> are ids of skipped records: the source still
/// names them, so the stored measures with those ids are left as they are (not removed).
/// </summary>
public sealed record MeasureSourceContent(
    RadarDefinition Radar,
    IReadOnlyList<Measure> Measures,
    IReadOnlyList<SkippedRecord> Skipped,
    IReadOnlySet<string> KeptIds)
{
    public int Read => Measures.Count + Skipped.Count;

    /// <summary>The edition this content is (<c>radar.edition</c>, or a CSV source's settings);
    /// null: the current state, not an edition.</summary>
    public EditionInfo? Edition { get; init; }
}

/// <summary>One record as read, before validation. Readers fill it from JSON or CSV.</summary>
internal sealed class MeasureDraft
{
    public int? Index { get; init; }

    public int? Line { get; init; }

    public string? Id { get; set; }

    public string? Title { get; set; }

    public string? Summary { get; set; }

    public string? Description { get; set; }

    public string? Area { get; set; }

    public string? Field { get; set; }

    public List<string> Departments { get; set; } = [];

    public string? Status { get; set; }

    public int? Progress { get; set; }

    public List<string> Goals { get; set; } = [];

    public List<string> Achievements { get; set; } = [];

    public List<string> Highlights { get; set; } = [];

    public string? Outlook { get; set; }

    public List<MeasureKpi> Kpis { get; set; } = [];

    public List<string> Tags { get; set; } = [];

    public List<MeasureLink> Links { get; set; } = [];

    public DateOnly? Start { get; set; }

    public DateOnly? End { get; set; }

    public DateTimeOffset? Updated { get; set; }

    /// <summary>Set by a reader when a value could not be read at all (wrong type, bad date).</summary>
    public string? ReadError { get; set; }

    public SkippedRecord Skip(string reason) => new(Index, Line, Id, reason);
}
