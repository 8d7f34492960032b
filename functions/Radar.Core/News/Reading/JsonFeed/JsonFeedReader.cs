using System.Net;
using System.Text.Json;
using Radar.Core.News.Normalising;

namespace Radar.Core.News.Reading.JsonFeed;

/// <summary>
/// Reads JSON Feed 1.0 and 1.1 with System.Text.Json rather than CodeHollow.FeedReader's JSON
/// path: that one converts the JSON to XML first and silently drops every item without an
/// <c>id</c>, where Radar keys such an item by its link (or title and date) like any other, and
/// reports what it cannot use. A value of the wrong type counts as missing instead of failing
/// the feed; an <c>id</c> written as a number is read as text, as the spec asks.
/// </summary>
internal static class JsonFeedReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, CommentHandling = JsonCommentHandling.Skip };

    public static (RawFeed? Feed, FeedParseError? Error) Read(string text, Uri feedUrl)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Options);
        }
        catch (JsonException ex)
        {
            return (null, new(FeedErrorCodes.InvalidJson,
                $"The feed is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message.Split(" Path:")[0]}"));
        }

        using (document)
        {
            var root = document.RootElement;
            var version = root.ValueKind == JsonValueKind.Object ? String(root, "version") : null;
            if (version is null || !version.Contains("jsonfeed.org/version/", StringComparison.OrdinalIgnoreCase))
            {
                return (null, new(FeedErrorCodes.NotAFeed,
                    "The JSON is not a JSON Feed: it needs to be an object with \"version\": \"https://jsonfeed.org/version/1.1\"."));
            }

            var homePage = String(root, "home_page_url");
            var documentBase = CanonicalLink.HttpBase(feedUrl, Absolute(homePage));
            var feedAuthor = Authors(root);
            var items = new List<RawFeedItem>();
            if (root.TryGetProperty("items", out var array))
            {
                if (array.ValueKind != JsonValueKind.Array)
                {
                    return (null, new(FeedErrorCodes.Structure, "\"items\" of the JSON Feed is not an array."));
                }

                foreach (var item in array.EnumerateArray())
                {
                    items.Add(item.ValueKind == JsonValueKind.Object
                        ? ReadItem(item, documentBase, feedAuthor)
                        : new RawFeedItem { Problem = $"the item is a JSON {item.ValueKind.ToString().ToLowerInvariant()}, not an object" });
                }
            }

            return (new RawFeed(FeedFormat.JsonFeed, String(root, "title"), homePage, String(root, "language"), feedAuthor, items), null);
        }
    }

    private static RawFeedItem ReadItem(JsonElement item, Uri? documentBase, string? feedAuthor)
    {
        var contentHtml = String(item, "content_html");
        var contentText = String(item, "content_text");
        var summary = String(item, "summary");
        return new RawFeedItem
        {
            Id = item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number ? id.GetRawText() : String(item, "id"),
            Title = String(item, "title"),
            Link = String(item, "url") ?? String(item, "external_url"),
            LinkBase = documentBase,
            ContentBase = documentBase,
            PublishedText = String(item, "date_published"),
            UpdatedText = String(item, "date_modified"),
            Author = Authors(item) ?? feedAuthor,
            Categories = item.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
                ? [.. tags.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)]
                : [],
            ContentHtml = contentHtml ?? (contentText is null ? null : TextToHtml(contentText)),
            SummaryHtml = summary is null ? null : WebUtility.HtmlEncode(summary),
            Language = String(item, "language"),
        };
    }

    /// <summary>JSON Feed 1.1 <c>authors</c>, or 1.0 <c>author</c>: the names, comma-separated.</summary>
    private static string? Authors(JsonElement element)
    {
        var names = new List<string>();
        if (element.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array)
        {
            names.AddRange(authors.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object).Select(a => String(a, "name")).OfType<string>());
        }
        else if (element.TryGetProperty("author", out var author) && author.ValueKind == JsonValueKind.Object && String(author, "name") is { } name)
        {
            names.Add(name);
        }

        names.RemoveAll(string.IsNullOrWhiteSpace);
        return names.Count == 0 ? null : string.Join(", ", names);
    }

    private static string TextToHtml(string text) =>
        string.Concat(text.Split(["\r\n\r\n", "\n\n"], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => "<p>" + WebUtility.HtmlEncode(p.Trim()) + "</p>"));

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Uri? Absolute(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) ? uri : null;
}
