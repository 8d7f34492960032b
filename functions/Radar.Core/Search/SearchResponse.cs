namespace Radar.Core.Search;

/// <summary>The search answer as DESIGN.md shows it, plus "did you mean".</summary>
public sealed record SearchResponse
{
    public required string Query { get; init; }
    public required int Total { get; init; }
    public required int Page { get; init; }
    public required int PageSize { get; init; }
    public required IReadOnlyList<SearchHit> Hits { get; init; }

    /// <summary>type, area, status, department, year, radar: value → number of matching documents.
    /// The type facet also counts the matching changes when no type was asked for (they are not
    /// listed then, see <see cref="SearchDocumentTypes.ListedByDefault"/>).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Facets { get; init; }

    /// <summary>A spelling that has hits, when the query as typed had none and the answer is not
    /// already that spelling's (<see cref="CorrectedFrom"/>).</summary>
    public string? DidYouMean { get; init; }

    /// <summary>Set when the query as typed found nothing and a respelled one did: what was typed.
    /// <see cref="Query"/> is then the respelled query and the hits are its hits.</summary>
    public string? CorrectedFrom { get; init; }

    /// <summary>True when the hits come from the fuzzy retry, not from the query as typed.</summary>
    public bool Fuzzy { get; init; }
}

public sealed record SearchHit
{
    public required string Type { get; init; }
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string? Url { get; init; }

    /// <summary>HTML-escaped text with &lt;mark&gt; around the words that matched.</summary>
    public string? Snippet { get; init; }

    public string? Area { get; init; }
    public string? Status { get; init; }
    public IReadOnlyList<string> Departments { get; init; } = [];

    /// <summary>The radar a measure or change belongs to (ids are unique within a radar); for a
    /// news item, the radar of its source, else the default radar.</summary>
    public string? Radar { get; init; }

    public DateTimeOffset? Date { get; init; }
    public float Score { get; init; }
}

/// <summary>Completions for what a user has typed so far.</summary>
public sealed record SuggestResponse(string Query, IReadOnlyList<Suggestion> Suggestions);

/// <summary>
/// One completion: a word or tag to search for (<see cref="Kind"/> "term" or "tag"), or a
/// document to open directly ("title", with its type, id and url).
/// </summary>
public sealed record Suggestion
{
    public required string Text { get; init; }
    public required string Kind { get; init; }
    public string? Type { get; init; }
    public string? Id { get; init; }
    public string? Url { get; init; }
}

public static class FacetNames
{
    public const string Type = "type";
    public const string Area = "area";
    public const string Status = "status";
    public const string Department = "department";
    public const string Year = "year";
    public const string Radar = "radar";
}
