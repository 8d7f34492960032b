using Radar.Core;
using Radar.Core.News;
using Radar.Core.Search;
using Radar.Core.Sources;
using Radar.Core.Syndication;
using Radar.Pages.Picture;

namespace Radar.Functions.Web;

/// <summary>How many entries a feed-like answer takes: the default, and a cap that longer asks are
/// cut to (the embed shows at most 20) or null, so that more than <see cref="FeedRequest.MaxLimit"/>
/// is refused.</summary>
public sealed record FeedLimits(int Default, int? Cap)
{
    public static readonly FeedLimits Feed = new(FeedRequest.DefaultLimit, null);

    /// <summary>The embed page, oEmbed and the widget show a short list.</summary>
    public static readonly FeedLimits Embed = new(5, 20);
}

/// <summary>The moment <c>/api/radar</c> is asked about: <c>asOf</c> or <c>edition</c> (neither: now).</summary>
public sealed record RadarMoment(string? AsOf, string? Edition);

/// <summary>What <c>/api/radar/diff</c> compares: <c>from</c> (required) and <c>to</c> (absent: now).</summary>
public sealed record RadarSpan(string? From, string? To);

/// <summary>What <c>/api/oembed</c> is asked: the page to embed (null when <c>url</c> is not an
/// address), the format and the largest frame.</summary>
public sealed record OEmbedParameters(Uri? Page, string? Format, int? MaxWidth, int? MaxHeight);

/// <summary>
/// Radar's query parameters, each with its one rule (<see cref="QueryBinder"/>), and the typed
/// requests the routes bind from them. A parameter means the same on every route that reads it.
/// A new parameter is one line here and a property on the request that takes it.
/// </summary>
public static class QueryParameters
{
    private static readonly Dictionary<string, SearchSort> Sorts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["relevance"] = SearchSort.Relevance,
        ["date"] = SearchSort.Date,
    };

    private static readonly Dictionary<string, RadarGrouping> Groupings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["area"] = RadarGrouping.Area,
        ["field"] = RadarGrouping.Field,
    };

    /// <summary><c>radar</c>: one radar id; absent: the default radar.</summary>
    public static string? Radar(this QueryBinder query) => query.Id("radar", 50, "muenchen");

    /// <summary><c>asOf</c>: a day <c>YYYY-MM-DD</c> (the end of that day in Berlin), as given.
    /// What a date is, and whether the radar has one that early, is the time queries' rule
    /// (<c>RadarTimeQueries</c>): they answer a 400 or 404 naming the parameter.</summary>
    public static string? AsOf(this QueryBinder query) => query.Text("asOf");

    /// <summary><c>asOf</c> or <c>edition</c> (an edition id such as <c>2024</c>), as given; both is a 400.</summary>
    public static RadarMoment Moment(this QueryBinder query) => new(query.AsOf(), query.Text("edition"));

    /// <summary><c>from</c> and <c>to</c> of <c>/api/radar/diff</c>: each a day or an edition id, as given.</summary>
    public static RadarSpan Span(this QueryBinder query) => new(query.Text("from"), query.Text("to"));

    /// <summary><c>q</c>: the search words (the index cleans and cuts them); absent: everything.</summary>
    public static string Words(this QueryBinder query) => query.Text("q") ?? "";

    /// <summary><c>/api/search</c> and, with its fixed page size, the search page.</summary>
    public static SearchRequest Search(this QueryBinder query, int? fixedPageSize = null)
    {
        var words = query.Words();
        var types = query.Types(SearchDocumentTypes.All);
        var radars = query.Ids("radar");
        foreach (var radar in radars.Where(r => !Slug.IsValid(r, 50)))
        {
            query.Fail("radar", $"radar must be radar ids: lowercase letters, digits and hyphens (e.g. 'muenchen'); '{QueryBinder.Shorten(radar)}' is not one.");
        }

        var (from, to) = query.Period();
        var sort = query.Choice("sort", Sorts, "sort must be 'relevance' or 'date'.") ?? SearchSort.Relevance;
        var page = query.Number("page", 1, int.MaxValue, "page must be a whole number from 1.") ?? 1;
        var pageSize = fixedPageSize ?? query.Number("pageSize", 1, SearchRequest.MaxPageSize) ?? SearchRequest.DefaultPageSize;
        if ((long)page * pageSize > SearchRequest.MaxDepth)
        {
            query.Fail("page", $"page × pageSize must not exceed {SearchRequest.MaxDepth}; narrow the search instead.");
        }

        return new SearchRequest
        {
            Query = words,
            Types = types,
            Areas = query.Ids("area"),
            Statuses = query.Ids("status"),
            Departments = query.Names("department"),
            Tags = query.Names("tag"),
            Radars = radars,
            From = from,
            To = to,
            Sort = sort,
            Page = page,
            PageSize = pageSize,
        };
    }

    /// <summary>The feeds and <c>/api/changes</c> (<see cref="FeedLimits.Feed"/>), the embed page,
    /// oEmbed and the widget (<see cref="FeedLimits.Embed"/>): the filters of search, changes and
    /// news only, one radar, one measure, and how many entries.</summary>
    public static FeedRequest Feed(this QueryBinder query, FeedLimits limits)
    {
        var words = query.Words();
        var types = query.Types(FeedEntryTypes.All);
        var (from, to) = query.Period();
        return new FeedRequest
        {
            Query = words,
            Types = types.Count == 0 ? FeedEntryTypes.All : [.. FeedEntryTypes.All.Where(types.Contains)],
            Areas = query.Ids("area"),
            Statuses = query.Ids("status"),
            Departments = query.Names("department"),
            Tags = query.Names("tag"),
            Radar = query.Radar(),
            MeasureId = query.Id("measure", FeedRequest.MaxMeasureIdLength, "oeffentliches-wlan"),
            From = from,
            To = to,
            Limit = query.Limit(limits),
        };
    }

    /// <summary>The home page and <c>/api/radar.svg</c>: areas, statuses, departments, grouping.</summary>
    public static RadarFilter PictureFilter(this QueryBinder query) => new()
    {
        Areas = query.Ids("area"),
        Statuses = query.Ids("status"),
        Departments = query.Names("department"),
        Grouping = query.Choice("group", Groupings, "group is 'area' (one sector per area, the default) or 'field' (one sector per field of action).")
                   ?? RadarGrouping.Area,
    };

    /// <summary><c>/api/news</c>: <c>page</c>, <c>pageSize</c>, <c>source</c>, <c>tag</c>.</summary>
    public static NewsQuery News(this QueryBinder query)
    {
        var page = query.Number("page", 1, NewsQuery.MaxPage) ?? 1;
        var pageSize = query.Number("pageSize", 1, NewsQuery.MaxPageSize) ?? NewsQuery.DefaultPageSize;
        var source = query.Text("source");
        var tag = query.Text("tag");
        // What a source id and a tag are is the news listing's own rule: asked one at a time, so
        // the error names the parameter.
        if (!NewsQuery.TryCreate(null, null, source, null, out _, out var sourceError))
        {
            query.Fail("source", sourceError);
        }

        if (!NewsQuery.TryCreate(null, null, null, tag, out _, out var tagError))
        {
            query.Fail("tag", tagError);
        }

        return new NewsQuery(page, pageSize, source, tag);
    }

    /// <summary><c>/api/oembed</c>: <c>url</c> (required), <c>format</c>, <c>maxwidth</c>, <c>maxheight</c>.</summary>
    public static OEmbedParameters OEmbed(this QueryBinder query)
    {
        var url = query.Text("url");
        var format = query.Text("format");
        const string Pixels = "must be a whole number of pixels, at least 100.";
        var maxWidth = query.Number("maxwidth", 100, int.MaxValue, "maxwidth " + Pixels);
        var maxHeight = query.Number("maxheight", 100, int.MaxValue, "maxheight " + Pixels);
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var page) || page.Scheme is not ("http" or "https"))
        {
            if (!query.Errors.Any(e => e.Parameter == "url"))
            {
                query.Fail("url", "url must be the absolute address of a Radar page.");
            }

            page = null;
        }

        return new OEmbedParameters(page, format, maxWidth, maxHeight);
    }

    /// <summary>The admin ingests' <c>force</c>: true runs in full, else as asked now.</summary>
    public static SourceRunMode RunMode(this QueryBinder query) =>
        query.Flag("force") == true ? SourceRunMode.Full : SourceRunMode.Now;

    /// <summary><c>from</c> and <c>to</c>: days or instants, <c>from</c> before <c>to</c>.</summary>
    private static (DateTimeOffset? From, DateTimeOffset? To) Period(this QueryBinder query)
    {
        var from = query.Time("from", upperBound: false);
        var to = query.Time("to", upperBound: true);
        if (from is not null && to is not null && from >= to)
        {
            query.Fail("to", "to must not be before from.");
        }

        return (from, to);
    }

    /// <summary><c>type</c>: some of <paramref name="allowed"/>; none given: all of them.</summary>
    private static IReadOnlyList<string> Types(this QueryBinder query, IReadOnlyList<string> allowed)
    {
        var types = query.Ids("type");
        foreach (var type in types.Where(t => !allowed.Contains(t, StringComparer.Ordinal)))
        {
            var names = allowed.Select(a => $"'{a}'").ToList();
            query.Fail("type", $"type must be {string.Join(", ", names[..^1])} or {names[^1]}; '{QueryBinder.Shorten(type)}' is not.");
        }

        return types;
    }

    /// <summary><c>limit</c>, or <c>pageSize</c> (the name search uses; not both with different values).</summary>
    private static int Limit(this QueryBinder query, FeedLimits limits)
    {
        var max = limits.Cap is null ? FeedRequest.MaxLimit : int.MaxValue;
        var rule = $"limit (or pageSize) must be a whole number from 1 to {FeedRequest.MaxLimit}.";
        var limit = query.Number("limit", 1, max, rule);
        var pageSize = query.Number("pageSize", 1, max, rule);
        if (limit is not null && pageSize is not null && limit != pageSize)
        {
            query.Fail("limit", "Give 'limit' or 'pageSize' (the same thing), not both.");
        }

        var asked = limit ?? pageSize ?? limits.Default;
        return limits.Cap is { } cap ? Math.Min(asked, cap) : asked;
    }
}
