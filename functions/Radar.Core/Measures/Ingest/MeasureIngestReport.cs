using Radar.Core.Ingest;
using Radar.Core.Measures.Timeline;

namespace Radar.Core.Measures.Ingest;

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

    /// <summary>The edition the content is (null: the current state, no edition).</summary>
    public string? Edition { get; init; }

    /// <summary>What became of that edition: <c>imported</c>, <c>unchanged</c>, <c>observed</c>
    /// (stored with other content: the differences were recorded as observations), <c>stale</c>
    /// (a newer edition is stored: nothing applied); see <see cref="EditionOutcomes"/>.</summary>
    public string? EditionOutcome { get; init; }

    public string? EditionError { get; init; }

    /// <summary>The source's list of past editions (<c>Radar__Sources__N__Editions</c>): each
    /// document imported this run, or why not.</summary>
    public IReadOnlyList<EditionImportReport> Editions { get; init; } = [];
}
