using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Radar.Core.News.Normalising;

namespace Radar.Core.News;

/// <summary>A page of the latest news: <see cref="Page"/> counts from 1; filters by source id
/// and by tag (compared folded, see <see cref="NewsTags.Fold"/>); both together narrow to items
/// that have both.</summary>
public sealed partial record NewsQuery(int Page = 1, int PageSize = NewsQuery.DefaultPageSize, string? Source = null, string? Tag = null)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>Page numbers cost reading the keys of every earlier row: deep pages are bounded.</summary>
    public const int MaxPage = 1000;

    /// <summary>The query from query-string values, or the reason it is not one.</summary>
    public static bool TryCreate(string? page, string? pageSize, string? source, string? tag, out NewsQuery query, out string error)
    {
        query = new NewsQuery();
        error = "";
        var pageNumber = 1;
        if (page is not null && (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out pageNumber) || pageNumber < 1 || pageNumber > MaxPage))
        {
            error = $"'page' must be a whole number from 1 to {MaxPage} (got '{Shorten(page)}').";
            return false;
        }

        var size = DefaultPageSize;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > MaxPageSize))
        {
            error = $"'pageSize' must be a whole number from 1 to {MaxPageSize} (got '{Shorten(pageSize)}').";
            return false;
        }

        if (source is not null && !SourceIdRegex().IsMatch(source))
        {
            error = $"'source' must be a source id: 1 to 64 letters, digits, '.', '_' or '-' (got '{Shorten(source)}').";
            return false;
        }

        if (tag is not null && (string.IsNullOrWhiteSpace(tag) || tag.Length > NewsTags.MaxTagLength || tag.Any(char.IsControl)))
        {
            error = $"'tag' must be 1 to {NewsTags.MaxTagLength} characters of text (got '{Shorten(tag)}').";
            return false;
        }

        query = new NewsQuery(pageNumber, size, source, tag?.Trim());
        return true;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SourceIdRegex();
}

/// <summary>One item in a listing: everything but the content.</summary>
public sealed record NewsListEntry(
    string Key,
    string Title,
    string? Link,
    [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset Published,
    NewsDateOrigin PublishedFrom,
    string Summary,
    string? Author,
    IReadOnlyList<string> Tags,
    string? Language,
    IReadOnlyList<NewsSourceRef> Sources,
    IReadOnlyList<string> RelatedMeasures);

/// <summary>A page of news, newest first. <see cref="HasMore"/>: there is a next page.</summary>
public sealed record NewsPage(
    int Page,
    int PageSize,
    bool HasMore,
    string? Source,
    string? Tag,
    IReadOnlyList<NewsListEntry> Items);
