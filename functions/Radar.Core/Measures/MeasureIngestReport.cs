using Radar.Core.Ingest;
using Radar.Core.Measures.Editions;
using Radar.Core.Sources;

namespace Radar.Core.Measures;

/// <summary>What one ingest run did, source by source.</summary>
public sealed record MeasureIngestReport(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Mode,
    IReadOnlyList<MeasureSourceReport> Sources)
{
    public bool AllSucceeded => AlreadyRunning is null && Sources.All(s => s.Outcome != SourceOutcomes.Failed);

    /// <summary>Set when the run did not start because another one holds the ingest lease.</summary>
    public IngestLeaseHolder? AlreadyRunning { get; init; }
}

/// <summary>One source in an ingest run: <see cref="Outcome"/> is <c>ingested</c>,
/// <c>not-modified</c>, <c>deferred</c> (in back-off, not fetched) or <c>failed</c> (with
/// <see cref="Error"/>; nothing it delivered was stored).</summary>
public sealed record MeasureSourceReport
{
    public required string Source { get; init; }

    public required string Url { get; init; }

    public required string Kind { get; init; }

    public string? Radar { get; init; }

    public required string Outcome { get; init; }

    public int Read { get; init; }

    public int Created { get; init; }

    public int Updated { get; init; }

    public int StatusChanged { get; init; }

    public int Removed { get; init; }

    public int Restored { get; init; }

    public int Unchanged { get; init; }

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

    public string? Error { get; init; }

    public DateTimeOffset? NextAttempt { get; init; }
}
