namespace Radar.Core.Search;

/// <summary>How hits are ordered.</summary>
public enum SearchSort
{
    /// <summary>Best match first (newest first when there is no query).</summary>
    Relevance,

    /// <summary>Newest first.</summary>
    Date,
}

/// <summary>
/// A validated search: what <see cref="RadarIndex.Search"/> takes. The HTTP edge binds it from a
/// query string (<c>Radar.Functions/Web</c>), within the limits below.
/// </summary>
public sealed record SearchRequest
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;

    /// <summary>Deepest hit a page may reach; deeper paging is a 400, not a slow query.</summary>
    public const int MaxDepth = 10_000;

    public string Query { get; init; } = string.Empty;
    public IReadOnlyList<string> Types { get; init; } = [];
    public IReadOnlyList<string> Areas { get; init; } = [];
    public IReadOnlyList<string> Statuses { get; init; } = [];
    public IReadOnlyList<string> Departments { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<string> Radars { get; init; } = [];

    /// <summary>Documents related to any of these measures ("radar:measure", see
    /// <see cref="SearchDocument.RelatedKey"/>). Not a query-string parameter: a measure's page asks.</summary>
    public IReadOnlyList<string> RelatedTo { get; init; } = [];

    /// <summary>Inclusive lower bound on the date.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Exclusive upper bound on the date.</summary>
    public DateTimeOffset? To { get; init; }

    public SearchSort Sort { get; init; } = SearchSort.Relevance;
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = DefaultPageSize;
}
