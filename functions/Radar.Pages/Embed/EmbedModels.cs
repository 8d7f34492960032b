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
    public const int DefaultLimit = 5;
    public const int MaxLimit = 20;

    /// <summary>The query parameters an embed (and the widget) understands.</summary>
    public static readonly IReadOnlyList<string> Parameters = ["q", "type", "area", "status", "department", "tag", "radar", "measure", "limit"];

    /// <summary>The embed query for a page of this site, or null when the path is not one that
    /// has an embed.</summary>
    public static QueryString? ForPage(Uri page)
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

    /// <summary>Feed parameters from an embed's query string; <c>limit</c> defaults to
    /// <see cref="DefaultLimit"/> and is capped at <see cref="MaxLimit"/>.</summary>
    public static FeedParameters FeedParameters(string? queryString)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(queryString);
        string[] All(string name) => query.TryGetValue(name, out var values) ? [.. values.Select(v => v ?? "")] : [];
        string? One(string name) => query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
        var limit = One("limit");
        if (int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > MaxLimit)
        {
            limit = MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new FeedParameters
        {
            Q = One("q"),
            Type = All("type"),
            Area = All("area"),
            Status = All("status"),
            Department = All("department"),
            Tag = All("tag"),
            Radar = All("radar"),
            Measure = All("measure"),
            Limit = string.IsNullOrWhiteSpace(limit) ? DefaultLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) : limit,
        };
    }

    private static List<KeyValuePair<string, string?>> QueryHelpers(string query) =>
        [.. Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))];
}
