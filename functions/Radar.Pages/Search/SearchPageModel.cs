using System.Net;
using Microsoft.AspNetCore.Http;
using Radar.Core.Measures;
using Radar.Core.Search;
using Radar.Core.Vocabulary;

namespace Radar.Pages.Search;

/// <summary>The search page: what was asked, the answer (or why there is none), the labels to
/// show ids with, and the links that change one thing about the search.</summary>
public sealed record SearchPageModel(
    SearchRequest Request,
    SearchResponse? Response,
    string? Error,
    IReadOnlyList<RadarDefinition> Radars,
    SearchLinks Links,
    string? FeedUrl,
    string? OEmbedUrl)
{
    public const int PageSize = 10;

    public string Query => Request.Query;

    public int PageCount => Response is null ? 0 : (Response.Total + PageSize - 1) / PageSize;

    /// <summary>A search within one radar keeps to it when the reader searches again from this
    /// page (the search box passes it on).</summary>
    public RadarSummary? SearchRadar => Request.Radars is [var id]
        ? new RadarSummary(id, Radars.FirstOrDefault(r => r.Id == id)?.Title ?? id, Default: false)
        : null;

    /// <summary>German name of a facet value: area and status ids by the labels of the hit's
    /// radar, else of the first radar that knows the id (a search spans every radar).</summary>
    public string Label(string facet, string value, string? radarId = null)
    {
        var radars = Radars.Where(r => r.Id == radarId).Concat(Radars);
        return facet switch
        {
            FacetNames.Type => SearchLabels.Type(value),
            FacetNames.Area => radars.SelectMany(r => r.Areas).FirstOrDefault(a => a.Id == value)?.Label ?? value,
            FacetNames.Status => radars.SelectMany(r => r.Statuses).FirstOrDefault(s => s.Id == value)?.Label ?? value,
            FacetNames.Radar => Radars.FirstOrDefault(r => r.Id == value)?.Title ?? value,
            _ => value,
        };
    }
}

public static class SearchLabels
{
    /// <summary>The facets a reader narrows by, in order, with their German headings.</summary>
    public static readonly IReadOnlyList<(string Facet, string Heading)> Facets =
    [
        (FacetNames.Type, "Art"),
        (FacetNames.Area, GermanFields.Name("area")),
        (FacetNames.Status, GermanFields.Name("status")),
        (FacetNames.Department, GermanFields.Singular("departments")),
        (FacetNames.Radar, "Radar"),
    ];

    public static string Type(string type) => type switch
    {
        SearchDocumentTypes.Measure => "Maßnahme",
        SearchDocumentTypes.Change => "Änderung",
        SearchDocumentTypes.News => "Nachricht",
        _ => type,
    };

    /// <summary>A snippet as HTML: the index promises escaped text with &lt;mark&gt;; it is
    /// escaped again here from its text, and only the marks are let through, so a page never
    /// depends on that promise.</summary>
    public static string SnippetHtml(string snippet)
    {
        var text = WebUtility.HtmlDecode(snippet
            .Replace("\u0001", "", StringComparison.Ordinal)
            .Replace("\u0002", "", StringComparison.Ordinal)
            .Replace("<mark>", "\u0001", StringComparison.Ordinal)
            .Replace("</mark>", "\u0002", StringComparison.Ordinal));
        return WebUtility.HtmlEncode(text)
            .Replace("\u0001", "<mark>", StringComparison.Ordinal)
            .Replace("\u0002", "</mark>", StringComparison.Ordinal);
    }
}

/// <summary>URLs of the search page that keep the current search but change one part of it.
/// Facet links add a value (narrow), the active filters remove one; paging and sorting keep
/// the rest.</summary>
public sealed record SearchLinks(SearchRequest Request)
{
    public const string Path = "/suche";

    private static readonly string[] Lists = ["type", "area", "status", "department", "tag", "radar"];

    public bool IsActive(string name, string value) => Values(name).Contains(value, StringComparer.Ordinal);

    /// <summary>Active filters as (parameter, value) pairs, in parameter order.</summary>
    public IEnumerable<(string Name, string Value)> Active =>
        Lists.SelectMany(name => Values(name).Select(value => (name, value)));

    public string Narrow(string name, string value) =>
        Build(Request with { Page = 1 }, name, [.. Values(name).Where(v => v != value), value]);

    public string Remove(string name, string value) =>
        Build(Request with { Page = 1 }, name, [.. Values(name).Where(v => v != value)]);

    public string Page(int page) => Build(Request with { Page = Math.Max(page, 1) });

    public string Sort(SearchSort sort) => Build(Request with { Sort = sort, Page = 1 });

    public string WithQuery(string q) => Build(Request with { Query = q.Trim(), Page = 1 });

    public IReadOnlyList<string> Values(string name) => name switch
    {
        "type" => Request.Types,
        "area" => Request.Areas,
        "status" => Request.Statuses,
        "department" => Request.Departments,
        "tag" => Request.Tags,
        "radar" => Request.Radars,
        _ => [],
    };

    private string Build(SearchRequest request, string? name = null, string[]? values = null)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        if (request.Query.Length > 0)
        {
            pairs.Add(new("q", request.Query));
        }

        foreach (var list in Lists)
        {
            var current = list == name ? values! : Values(list);
            pairs.AddRange(current.Select(v => new KeyValuePair<string, string?>(list, v)));
        }

        if (request.Sort == SearchSort.Date)
        {
            pairs.Add(new("sort", "date"));
        }

        if (request.Page > 1)
        {
            pairs.Add(new("page", request.Page.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return Path + QueryString.Create(pairs).ToUriComponent();
    }
}
