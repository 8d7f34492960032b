using System.Globalization;

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
/// A validated search: what <see cref="RadarIndex.Search"/> takes. Build it from query-string
/// values with <see cref="SearchParameters.Validate"/>.
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

/// <summary>
/// Search parameters as they come from a query string (every value a string, lists for the
/// repeatable filters). <see cref="Validate"/> turns them into a <see cref="SearchRequest"/> or
/// says what is wrong, so the HTTP layer can answer 400 with that message.
/// </summary>
public sealed record SearchParameters
{
    public string? Q { get; init; }
    public IReadOnlyList<string> Type { get; init; } = [];
    public IReadOnlyList<string> Area { get; init; } = [];
    public IReadOnlyList<string> Status { get; init; } = [];
    public IReadOnlyList<string> Department { get; init; } = [];
    public IReadOnlyList<string> Tag { get; init; } = [];
    public IReadOnlyList<string> Radar { get; init; } = [];
    public string? From { get; init; }
    public string? To { get; init; }
    public string? Sort { get; init; }
    public string? Page { get; init; }
    public string? PageSize { get; init; }

    /// <summary>Most values one filter takes (an area, a status … is never a long list).</summary>
    public const int MaxFilterValues = 20;

    public const int MaxFilterValueLength = 100;

    public SearchValidation Validate()
    {
        var errors = new List<SearchParameterError>();

        var pageSize = SearchRequest.DefaultPageSize;
        if (!string.IsNullOrWhiteSpace(PageSize)
            && (!int.TryParse(PageSize, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize)
                || pageSize < 1 || pageSize > SearchRequest.MaxPageSize))
        {
            errors.Add(new("pageSize", $"pageSize must be a whole number from 1 to {SearchRequest.MaxPageSize}."));
            pageSize = SearchRequest.DefaultPageSize;
        }

        var page = 1;
        if (!string.IsNullOrWhiteSpace(Page)
            && (!int.TryParse(Page, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            errors.Add(new("page", "page must be a whole number from 1."));
            page = 1;
        }
        else if ((long)page * pageSize > SearchRequest.MaxDepth)
        {
            errors.Add(new("page", $"page × pageSize must not exceed {SearchRequest.MaxDepth}; narrow the search instead."));
        }

        var sort = SearchSort.Relevance;
        switch (Sort?.Trim().ToLowerInvariant())
        {
            case null or "" or "relevance":
                break;
            case "date":
                sort = SearchSort.Date;
                break;
            default:
                errors.Add(new("sort", "sort must be 'relevance' or 'date'."));
                break;
        }

        var from = ParseDate("from", From, endOfDay: false, errors);
        var to = ParseDate("to", To, endOfDay: true, errors);
        if (from is not null && to is not null && from >= to)
        {
            errors.Add(new("to", "to must not be before from."));
        }

        foreach (var (name, raw) in new[] { ("type", Type), ("area", Area), ("status", Status), ("department", Department), ("tag", Tag), ("radar", Radar) })
        {
            var values = Values(raw);
            if (values.Length > MaxFilterValues)
            {
                errors.Add(new(name, $"{name} takes at most {MaxFilterValues} values."));
            }
            else if (values.FirstOrDefault(v => v.Length > MaxFilterValueLength) is { } tooLong)
            {
                errors.Add(new(name, $"{name} values have at most {MaxFilterValueLength} characters; '{Shorten(tooLong)}' has more."));
            }
        }

        var types = Values(Type);
        foreach (var type in types)
        {
            if (!SearchDocumentTypes.All.Contains(type))
            {
                errors.Add(new("type", $"type must be one of {string.Join(", ", SearchDocumentTypes.All)}; '{Shorten(type)}' is not."));
            }
        }

        if (errors.Count > 0)
        {
            return new SearchValidation(null, errors);
        }
        return new SearchValidation(new SearchRequest
        {
            Query = Q?.Trim() ?? string.Empty,
            Types = types,
            Areas = Values(Area),
            Statuses = Values(Status),
            Departments = Values(Department),
            Tags = Values(Tag),
            Radars = Values(Radar),
            From = from,
            To = to,
            Sort = sort,
            Page = page,
            PageSize = pageSize,
        }, []);
    }

    // Lists come as repeated parameters or comma-separated ("type=measure,news").
    private static string[] Values(IReadOnlyList<string> raw) =>
        raw.SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    private static DateTimeOffset? ParseDate(string name, string? value, bool endOfDay, List<SearchParameterError> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        value = value.Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            // A day means the whole day: "to=2020-12-31" includes the 31st.
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1) : start;
        }
        if (value.Length > 10 && value.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant;
        }
        errors.Add(new(name, $"{name} must be a date (YYYY-MM-DD) or a date and time (ISO 8601); '{Shorten(value)}' is not."));
        return null;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}

public sealed record SearchParameterError(string Parameter, string Message);

/// <summary>Either a request to run or the reasons it cannot run (for a 400 problem).</summary>
public sealed record SearchValidation(SearchRequest? Request, IReadOnlyList<SearchParameterError> Errors)
{
    public bool IsValid => Request is not null;

    /// <summary>All messages in one sentence list, for a problem's detail.</summary>
    public string Message => string.Join(" ", Errors.Select(error => error.Message));
}
