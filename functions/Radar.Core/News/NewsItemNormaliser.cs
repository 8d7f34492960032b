using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Radar.Core.News.Normalising;
using Radar.Core.News.Reading;

namespace Radar.Core.News;

/// <summary>
/// One entry as a feed wrote it (<see cref="RawFeedItem"/>, any format) into a
/// <see cref="NewsItem"/>: links canonical and absolute (<see cref="CanonicalLink"/>), dates in
/// UTC and believable (<see cref="FeedDates"/>), HTML sanitised and capped, text made plain
/// (<see cref="NewsHtml"/>), tags cleaned (<see cref="NewsTags"/>), the key built
/// (<see cref="NewsKey"/>). An entry that cannot become an item is refused with the reason.
/// </summary>
public sealed partial class NewsItemNormaliser(NewsHtml html, IOptions<NewsOptions> options)
{
    public const int SummaryLength = 400;
    public const int TitleLength = 300;
    public const int AuthorLength = 200;

    /// <summary>A date further ahead than this is a feed's mistake, not a publication date.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    private readonly NewsOptions _options = options.Value;

    internal (NewsItem? Item, string? Reason) Normalise(RawFeedItem raw, NewsSourceInfo source, string? feedLanguage, DateTimeOffset now)
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

    /// <summary>What to call an entry in a report: its title, id or link, whatever it had.</summary>
    internal static string? Hint(RawFeedItem raw)
    {
        var hint = NewsHtml.ToText(raw.Title);
        if (hint.Length == 0)
        {
            hint = raw.Id?.Trim() ?? raw.Link?.Trim() ?? "";
        }

        return hint.Length == 0 ? null : NewsHtml.Shorten(hint, 120);
    }

    private static DateTimeOffset? Believable(DateTimeOffset? date, DateTimeOffset now) =>
        date is { } d && d <= now + FutureTolerance ? d : null;

    [GeneratedRegex("^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$")]
    private static partial Regex LanguageRegex();
}
