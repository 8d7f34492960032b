using Radar.Core.Ingest;

namespace Radar.Core.Measures;

/// <summary>What one measures ingest run did, source by source.</summary>
public sealed record MeasureIngestReport(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Mode,
    IReadOnlyList<MeasureSourceReport> Sources) : IngestReport<MeasureSourceReport>(StartedAt, FinishedAt, Mode, Sources);

/// <summary>One measures source in an ingest run: the shared outcome and counts
/// (<see cref="SourceReport"/>) plus what a measure can go through.</summary>
public sealed record MeasureSourceReport : SourceReport
{
    public required string Kind { get; init; }

    public string? Radar { get; init; }

    public int Created { get; init; }

    public int StatusChanged { get; init; }

    public int Removed { get; init; }

    public int Restored { get; init; }

    public IReadOnlyList<SkippedRecord> Skipped { get; init; } = [];
}
