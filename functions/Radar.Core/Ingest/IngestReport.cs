using Radar.Core.Sources;

namespace Radar.Core.Ingest;

/// <summary>What one ingest run of a kind did, source by source, in the order of the source
/// list. The measures and news ingests report in this shape, each with its own per-source counts.</summary>
public abstract record IngestReport<TSource>(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Mode,
    IReadOnlyList<TSource> Sources)
    where TSource : SourceReport
{
    /// <summary>The run started and no source failed (a <c>partial</c> source is not a failure:
    /// what it delivered before its content broke is stored).</summary>
    public bool AllSucceeded => AlreadyRunning is null && Sources.All(s => s.Outcome != SourceOutcomes.Failed);

    /// <summary>Set when the run did not start because another one holds the lease of its kind.</summary>
    public IngestLeaseHolder? AlreadyRunning { get; init; }
}

/// <summary>One source in an ingest run. <see cref="Outcome"/> is one of
/// <see cref="SourceOutcomes"/>: <c>ingested</c>, <c>partial</c> (content broke part-way; what
/// came before was stored, <see cref="Error"/> says where), <c>not-modified</c>, <c>deferred</c>
/// (in back-off, not fetched) or <c>failed</c> (with <see cref="Error"/> and
/// <see cref="NextAttempt"/>; nothing it delivered was stored).</summary>
public abstract record SourceReport
{
    public required string Source { get; init; }

    public required string Url { get; init; }

    public required string Outcome { get; init; }

    /// <summary>Records or items read from the source.</summary>
    public int Read { get; init; }

    public int Updated { get; init; }

    public int Unchanged { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset? NextAttempt { get; init; }
}
