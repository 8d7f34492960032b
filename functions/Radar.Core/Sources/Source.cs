namespace Radar.Core.Sources;

/// <summary>
/// A source in the registry: what to fetch (<see cref="Url"/>, <see cref="Kind"/>) and what
/// happened when it was last fetched. Validators (<see cref="ETag"/>, <see cref="LastModified"/>)
/// are only recorded once the content was fully processed, so a run that failed halfway fetches
/// the same content again instead of being told "not modified".
/// </summary>
public sealed record Source
{
    public required string Id { get; init; }

    public required string Url { get; init; }

    public required string Kind { get; init; }

    public required string Origin { get; init; }

    public string? Name { get; init; }

    /// <summary>Radar id the source feeds (measure sources).</summary>
    public string? Radar { get; init; }

    /// <summary>Radar definition document for CSV sources.</summary>
    public string? Definition { get; init; }

    /// <summary>The edition a CSV source's content is (id, title, publication date <c>YYYY-MM-DD</c>);
    /// JSON sources say it in the document (<c>radar.edition</c>).</summary>
    public string? Edition { get; init; }

    public string? EditionTitle { get; init; }

    public string? EditionPublished { get; init; }

    /// <summary>Documents of past editions (import format, <c>radar.edition</c> set) that the
    /// source's ingest imports into its radar when they are not stored yet.</summary>
    public IReadOnlyList<string> Editions { get; init; } = [];

    /// <summary>Settings say this source shares its radar with others that say so too (their
    /// definitions must agree); otherwise a radar belongs to one source.</summary>
    public bool SharesRadar { get; init; }

    public string? ETag { get; init; }

    public string? LastModified { get; init; }

    public DateTimeOffset? LastFetch { get; init; }

    public DateTimeOffset? LastSuccess { get; init; }

    public string? LastOutcome { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    public int ConsecutiveFailures { get; init; }

    /// <summary>Not fetched on schedule before this (back-off, <c>Retry-After</c>).</summary>
    public DateTimeOffset? NextAttempt { get; init; }

    public bool FromSettings => Origin == SourceOrigins.Settings;

    public bool IsDue(DateTimeOffset now) => NextAttempt is not { } next || next <= now;
}
