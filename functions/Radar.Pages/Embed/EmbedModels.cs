using Microsoft.AspNetCore.Http;
using Radar.Core.Syndication;

namespace Radar.Pages.Embed;

/// <summary>The embed page (<c>/embed?…</c>): the latest matching changes and news, or why not.</summary>
public sealed record EmbedPageModel(FeedSelection? Selection, string? Error, string MoreUrl);

/// <summary>An oEmbed 1.0 answer of type "rich" (https://oembed.com/, section 2.3.4). Property
/// names are the spec's (snake case), which the camelCase JSON options leave as they are.</summary>
public sealed record OEmbedAnswer
{
    [System.Text.Json.Serialization.JsonPropertyName("type")]
    public string Type { get; init; } = "rich";

    [System.Text.Json.Serialization.JsonPropertyName("version")]
    public string Version { get; init; } = "1.0";

    [System.Text.Json.Serialization.JsonPropertyName("title")]
    public required string Title { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("provider_name")]
    public string ProviderName { get; init; } = "Digitalisierungsradar";

    [System.Text.Json.Serialization.JsonPropertyName("provider_url")]
    public required string ProviderUrl { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("cache_age")]
    public int CacheAge { get; init; } = 3600;

    [System.Text.Json.Serialization.JsonPropertyName("html")]
    public required string Html { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("width")]
    public required int Width { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("height")]
    public required int Height { get; init; }
}

/// <summary>What <c>/api/oembed</c> answers: the answer, or a status and a message.</summary>
public sealed record OEmbedResult(OEmbedAnswer? Answer, int StatusCode, string? Problem)
{
    public static OEmbedResult Fail(int status, string problem) => new(null, status, problem);
}

/// <summary>How a Radar page address maps to its embed: the page's filters become the embed's
/// query (<c>/massnahmen/x</c> → <c>measure=x</c>, <c>/suche?q=…</c> → the same filters, <c>/</c>
/// → the radar's latest changes).</summary>
public static class EmbedAddresses
{
    /// <summary>The query parameters an embed (and the widget) understands.</summary>
    public static readonly IReadOnlyList<string> Parameters = ["q", "type", "area", "status", "department", "tag", "radar", "measure", "limit"];

    /// <summary>The embed query for an address of this site (on <paramref name="baseUrl"/>, or on
    /// the <paramref name="requestOrigin"/> the request came to), or null when it is not a page
    /// that has an embed. The query is bound like <c>/embed</c>'s own.</summary>
    public static QueryString? ForSitePage(Uri page, Uri baseUrl, string requestOrigin)
    {
        var ours = string.Equals(page.Authority, baseUrl.Authority, StringComparison.OrdinalIgnoreCase)
                   || string.Equals(page.GetLeftPart(UriPartial.Authority), requestOrigin, StringComparison.OrdinalIgnoreCase);
        return ours ? ForPage(page) : null;
    }

    /// <summary>The embed query for a page, or null when the path is not one that has an embed.</summary>
    private static QueryString? ForPage(Uri page)
    {
        var query = QueryHelpers(page.Query);
        var path = page.AbsolutePath.TrimEnd('/');
        var pairs = new List<KeyValuePair<string, string?>>();
        if (path.StartsWith("/massnahmen/", StringComparison.OrdinalIgnoreCase) && path.Count(c => c == '/') == 2)
        {
            pairs.Add(new("measure", Uri.UnescapeDataString(path["/massnahmen/".Length..])));
            pairs.AddRange(query.Where(p => p.Key == "radar"));
        }
        else if (path.Equals("/suche", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var pair in query.Where(p => Parameters.Contains(p.Key, StringComparer.Ordinal)))
            {
                // Measures are not feed entries: a search for measures embeds their changes and news.
                if (pair.Key != "type" || pair.Value is FeedEntryTypes.Change or FeedEntryTypes.News)
                {
                    pairs.Add(pair);
                }
            }
        }
        else if (path.Length == 0)
        {
            pairs.AddRange(query.Where(p => p.Key is "radar" or "area" or "status" or "department"));
        }
        else
        {
            return null;
        }

        return QueryString.Create(pairs);
    }

    private static List<KeyValuePair<string, string?>> QueryHelpers(string query) =>
        [.. Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))];
}
