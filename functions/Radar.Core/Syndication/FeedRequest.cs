using System.Globalization;
using System.Text;
using Radar.Core.Measures;
using Radar.Core.Search;

namespace Radar.Core.Syndication;

/// <summary>What a feed shows: the kinds of entry.</summary>
public static class FeedEntryTypes
{
    public const string Change = SearchDocumentTypes.Change;
    public const string News = SearchDocumentTypes.News;

    public static readonly IReadOnlyList<string> All = [Change, News];
}

/// <summary>
/// A validated feed query: the search filters (<see cref="SearchParameters"/>, validated by the
/// same code as <c>/api/search</c>) restricted to changes and news, plus <see cref="MeasureId"/>
/// and the number of entries. A feed URL with these filters is a saved search.
/// </summary>
public sealed record FeedRequest
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = SearchRequest.MaxPageSize;

    public string Query { get; init; } = "";

    /// <summary>Change, news or both (never empty).</summary>
    public IReadOnlyList<string> Types { get; init; } = FeedEntryTypes.All;

    public IReadOnlyList<string> Areas { get; init; } = [];
    public IReadOnlyList<string> Statuses { get; init; } = [];
    public IReadOnlyList<string> Departments { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The radar; null: the default radar.</summary>
    public string? Radar { get; init; }

    /// <summary>One measure's changes and the news related to it.</summary>
    public string? MeasureId { get; init; }

    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Limit { get; init; } = DefaultLimit;

    public bool Wants(string type) => Types.Contains(type, StringComparer.Ordinal);

    /// <summary>True when an entry must belong to a measure with given attributes (news unrelated
    /// to any measure then drop out).</summary>
    public bool FiltersMeasures => Areas.Count > 0 || Statuses.Count > 0 || Departments.Count > 0 || MeasureId is not null || Radar is not null;

    /// <summary>The query in one canonical form (parameters and values sorted, defaults left
    /// out): the key of cached answers and the feed's id. Two URLs that ask the same give the same.</summary>
    public string Canonical()
    {
        var parts = new List<(string Name, string Value)>();
        void Add(string name, IEnumerable<string> values)
        {
            foreach (var value in values.Order(StringComparer.Ordinal))
            {
                parts.Add((name, value));
            }
        }

        if (Query.Length > 0)
        {
            parts.Add(("q", Query));
        }

        if (Types.Count == 1)
        {
            parts.Add(("type", Types[0]));
        }

        Add("area", Areas);
        Add("status", Statuses);
        Add("department", Departments);
        Add("tag", Tags);
        if (Radar is not null)
        {
            parts.Add(("radar", Radar));
        }

        if (MeasureId is not null)
        {
            parts.Add(("measure", MeasureId));
        }

        if (From is { } from)
        {
            parts.Add(("from", from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        }

        if (To is { } to)
        {
            parts.Add(("to", to.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        }

        if (Limit != DefaultLimit)
        {
            parts.Add(("limit", Limit.ToString(CultureInfo.InvariantCulture)));
        }

        var builder = new StringBuilder();
        foreach (var (name, value) in parts.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            builder.Append(builder.Length == 0 ? "" : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }
}

/// <summary>
/// Feed parameters as they come from a query string. <see cref="Validate"/> runs the search
/// validation (so <c>from</c>, <c>to</c>, list syntax and messages are those of
/// <c>/api/search</c>) and the feed's own rules.
/// </summary>
public sealed record FeedParameters
{
    public string? Q { get; init; }
    public IReadOnlyList<string> Type { get; init; } = [];
    public IReadOnlyList<string> Area { get; init; } = [];
    public IReadOnlyList<string> Status { get; init; } = [];
    public IReadOnlyList<string> Department { get; init; } = [];
    public IReadOnlyList<string> Tag { get; init; } = [];
    public IReadOnlyList<string> Radar { get; init; } = [];
    public IReadOnlyList<string> Measure { get; init; } = [];
    public string? From { get; init; }
    public string? To { get; init; }
    public string? Limit { get; init; }
    public string? PageSize { get; init; }

    /// <summary>The parameters a feed reads; anything else in the query string is ignored, as
    /// feed readers and trackers add their own.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["q", "type", "area", "status", "department", "tag", "radar", "measure", "from", "to", "limit", "pageSize"];

    public FeedValidation Validate()
    {
        var errors = new List<SearchParameterError>();
        if (Limit is not null && PageSize is not null && Limit != PageSize)
        {
            errors.Add(new("limit", "Give 'limit' or 'pageSize' (the same thing), not both."));
        }

        var search = new SearchParameters
        {
            Q = Q,
            Area = Area,
            Status = Status,
            Department = Department,
            Tag = Tag,
            Radar = Radar,
            From = From,
            To = To,
            PageSize = Limit ?? PageSize,
            Sort = "date",
        }.Validate();
        errors.AddRange(search.Errors.Select(e => e.Parameter == "pageSize"
            ? new SearchParameterError("limit", $"limit (or pageSize) must be a whole number from 1 to {FeedRequest.MaxLimit}.")
            : e));

        var types = Split(Type);
        foreach (var type in types.Where(t => !FeedEntryTypes.All.Contains(t, StringComparer.Ordinal)))
        {
            errors.Add(new("type", $"type must be 'change' or 'news' in a feed; '{Shorten(type)}' is not."));
        }

        var radars = Split(Radar);
        if (radars.Count > 1 || radars.Any(r => !Slug.IsValid(r, 50)))
        {
            errors.Add(new("radar", "radar must be one radar id: lowercase letters, digits and hyphens (e.g. 'muenchen')."));
        }

        var measures = Split(Measure);
        if (measures.Count > 1 || measures.Any(m => !Slug.IsValid(m, MeasureValidator.MaxIdLength)))
        {
            errors.Add(new("measure", "measure must be one measure id: lowercase letters, digits and hyphens (e.g. 'oeffentliches-wlan')."));
        }

        if (errors.Count > 0 || search.Request is not { } valid)
        {
            return new FeedValidation(null, errors);
        }

        return new FeedValidation(new FeedRequest
        {
            Query = valid.Query,
            Types = types.Count == 0 ? FeedEntryTypes.All : [.. FeedEntryTypes.All.Where(types.Contains)],
            Areas = valid.Areas,
            Statuses = valid.Statuses,
            Departments = valid.Departments,
            Tags = valid.Tags,
            Radar = radars.FirstOrDefault(),
            MeasureId = measures.FirstOrDefault(),
            From = valid.From,
            To = valid.To,
            Limit = valid.PageSize,
        }, []);
    }

    private static List<string> Split(IReadOnlyList<string> raw) =>
        [.. raw.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal)];

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}

/// <summary>Either a feed request or the reasons it is not one (a 400 problem's detail).</summary>
public sealed record FeedValidation(FeedRequest? Request, IReadOnlyList<SearchParameterError> Errors)
{
    public string Message => string.Join(" ", Errors.Select(e => e.Message));
}
