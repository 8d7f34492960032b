using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Radar.Core.News;

/// <summary>
/// Bytes in, news items out: decode (<see cref="FeedDecoder"/>), read the format (XML through
/// <see cref="XmlFeedReader"/>, JSON Feed through <see cref="JsonFeedReader"/>), normalise every
/// entry into a <see cref="NewsItem"/>. A feed that cannot be read is an error result, never an
/// exception; an entry that cannot be normalised is skipped with its reason and the rest go on.
/// </summary>
public sealed partial class NewsFeedParser(NewsHtml html, IOptions<NewsOptions> options, TimeProvider clock)
{
    public const int SummaryLength = 400;
    public const int TitleLength = 300;
    public const int AuthorLength = 200;

    /// <summary>A date further ahead than this is a feed's mistake, not a publication date.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    private readonly NewsOptions _options = options.Value;

    public NewsFeedResult Parse(FeedPayload payload, NewsSourceInfo source)
    {
        var body = payload.Body.Span;
        if (body.IsEmpty || body.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            return NewsFeedResult.Failed(FeedErrorCodes.Empty, "The body is empty.");
        }

        var decoded = FeedDecoder.Decode(body, payload.ContentType, _options.MaxFeedCharacters);
        if (decoded is null)
        {
            return NewsFeedResult.Failed(FeedErrorCodes.TooLarge,
                $"The feed has more than {_options.MaxFeedCharacters:N0} characters (setting News__MaxFeedCharacters).");
        }

        var text = decoded.Text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var mediaType = FeedDecoder.MediaTypeOf(payload.ContentType);
        var (raw, error) = text switch
        {
            "" => (null, new FeedParseError(FeedErrorCodes.Empty, "The body is empty.")),
            ['{', ..] => JsonFeedReader.Read(text, payload.FeedUrl),
            ['[', ..] => (null, new FeedParseError(FeedErrorCodes.NotAFeed, "The body is a JSON array; a JSON Feed is an object.")),
            ['<', ..] => XmlFeedReader.Read(text, payload.FeedUrl, _options.MaxFeedCharacters, mediaType),
            _ when mediaType is "text/html" => (null, new FeedParseError(FeedErrorCodes.Html, "The body is an HTML page (Content-Type text/html), not a feed.")),
            _ => (null, new FeedParseError(FeedErrorCodes.NotAFeed, $"The body is neither XML nor JSON: it starts with \"{Preview(text)}\".")),
        };
        if (raw is null)
        {
            return NewsFeedResult.Failed(error!.Code, error.Message);
        }

        var feedLanguage = CleanLanguage(raw.Language);
        var info = new FeedInfo(raw.Format, NewsHtml.ToText(raw.Title), raw.Link, feedLanguage, decoded.Encoding, decoded.Note);
        var items = new List<NewsItem>(raw.Items.Count);
        var skipped = new List<SkippedNewsItem>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        for (var i = 0; i < raw.Items.Count; i++)
        {
            var (item, reason) = Normalise(raw.Items[i], source, feedLanguage, now);
            var position = i + 1;
            if (item is null)
            {
                skipped.Add(new SkippedNewsItem(position, Hint(raw.Items[i]), reason!));
            }
            else if (positions.TryGetValue(item.Key, out var first))
            {
                skipped.Add(new SkippedNewsItem(position, Hint(raw.Items[i]), $"the same item as number {first} of this feed (same id, link or title and date)"));
            }
            else
            {
                positions[item.Key] = position;
                items.Add(item);
            }
        }

        return new NewsFeedResult(info, items, skipped, null);
    }

    private (NewsItem? Item, string? Reason) Normalise(RawFeedItem raw, NewsSourceInfo source, string? feedLanguage, DateTimeOffset now)
    {
        if (raw.Problem is not null)
        {
            return (null, raw.Problem);
        }

        var link = CanonicalLink.From(raw.Link, raw.LinkBase);
        var contentSource = !string.IsNullOrWhiteSpace(raw.ContentHtml) ? raw.ContentHtml : raw.SummaryHtml;
        var content = NewsHtml.Cap(html.Sanitize(contentSource, raw.ContentBase), _options.MaxContentCharacters);
        var text = NewsHtml.ToText(raw.SummaryHtml);
        if (text.Length == 0)
        {
            text = NewsHtml.ToText(raw.ContentHtml);
        }

        var title = NewsHtml.Shorten(NewsHtml.ToText(raw.Title), TitleLength);
        if (title.Length == 0)
        {
            if (text.Length == 0)
            {
                return (null, link is null ? "no title, no link and no text" : "no title and no text, only a link");
            }

            title = NewsHtml.Shorten(text, 100); // a headline from the teaser beats losing the item
        }

        var published = Believable(FeedDates.Parse(raw.PublishedText), now);
        var updated = Believable(FeedDates.Parse(raw.UpdatedText), now);
        var (date, origin) = published is { } p ? (p, NewsDateOrigin.Published)
            : updated is { } u ? (u, NewsDateOrigin.Updated)
            : (now.ToUniversalTime(), NewsDateOrigin.FirstSeen);

        var guid = string.IsNullOrWhiteSpace(raw.Id) ? null : raw.Id.Trim();
        var author = raw.Author is null ? "" : NewsHtml.Shorten(NewsHtml.ToText(raw.Author), AuthorLength);
        return (new NewsItem
        {
            Key = NewsKey.For(source.Id, guid, link, title, origin == NewsDateOrigin.FirstSeen ? null : date),
            Title = title,
            Link = link,
            ItemId = guid is null ? null : NewsHtml.Shorten(guid, 1000),
            Published = date,
            PublishedFrom = origin,
            Summary = NewsHtml.Shorten(text, SummaryLength),
            ContentHtml = content,
            Author = author.Length == 0 ? null : author,
            Tags = NewsTags.Clean(raw.Categories.Select(c => NewsHtml.ToText(c))),
            Language = CleanLanguage(raw.Language) ?? feedLanguage ?? CleanLanguage(source.Language),
            Sources = [source.Ref],
        }, null);
    }

    private static DateTimeOffset? Believable(DateTimeOffset? date, DateTimeOffset now) =>
        date is { } d && d <= now + FutureTolerance ? d : null;

    /// <summary>A BCP 47 language tag (<c>de</c>, <c>de-DE</c>), or null for anything else.</summary>
    public static string? CleanLanguage(string? language)
    {
        var value = language?.Trim().Replace('_', '-');
        if (value is null || !LanguageRegex().IsMatch(value))
        {
            return null;
        }

        // The usual case of each subtag: de-DE, zh-Hant-TW.
        return string.Join('-', value.Split('-').Select((part, i) => i == 0 ? part.ToLowerInvariant()
            : part.Length == 2 ? part.ToUpperInvariant()
            : part.Length == 4 ? char.ToUpperInvariant(part[0]) + part[1..].ToLowerInvariant()
            : part.ToLowerInvariant()));
    }

    private static string? Hint(RawFeedItem raw)
    {
        var hint = NewsHtml.ToText(raw.Title);
        if (hint.Length == 0)
        {
            hint = raw.Id?.Trim() ?? raw.Link?.Trim() ?? "";
        }

        return hint.Length == 0 ? null : NewsHtml.Shorten(hint, 120);
    }

    private static string Preview(string text) =>
        NewsHtml.Shorten(NewsHtml.CollapseWhitespace(text.Length > 200 ? text[..200] : text), 40);

    [GeneratedRegex("^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$")]
    private static partial Regex LanguageRegex();
}
