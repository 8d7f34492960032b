using System.Xml;
using Microsoft.Extensions.Options;
using Radar.Core.News.Normalising;
using Radar.Core.News.Reading;
using Radar.Core.News.Reading.Atom;
using Radar.Core.News.Reading.JsonFeed;
using Radar.Core.News.Reading.Rdf;
using Radar.Core.News.Reading.Rss;

namespace Radar.Core.News;

/// <summary>
/// Bytes in, news items out, in the order Miniflux reads a feed: decode
/// (<see cref="FeedDecoder"/>), detect the format (<see cref="FeedDetector"/>), read it with the
/// reader for that format (RSS, RDF, Atom: the XML loaded by <see cref="FeedXml"/>; JSON Feed),
/// normalise every entry (<see cref="NewsItemNormaliser"/>), and keep one of several entries of
/// the feed that are the same item. A feed that cannot be read is an error result, never an
/// exception; an entry that cannot be normalised is skipped with its reason and the rest go on;
/// XML that breaks after complete items keeps those items and says where it broke
/// (<see cref="NewsFeedResult.Break"/>).
/// </summary>
public sealed class NewsFeedParser(NewsItemNormaliser normaliser, IOptions<NewsOptions> options, TimeProvider clock)
{
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
        var (syntax, error) = FeedDetector.Syntax(text, mediaType);
        var (raw, feedBreak) = syntax switch
        {
            FeedSyntax.Json => Json(text, payload.FeedUrl, ref error),
            FeedSyntax.Xml => Xml(text, payload.FeedUrl, mediaType, ref error),
            _ => (null, null),
        };
        if (raw is null)
        {
            return NewsFeedResult.Failed(error!.Code, error.Message);
        }

        var feedLanguage = NewsItemNormaliser.CleanLanguage(raw.Language);
        var info = new FeedInfo(raw.Format, NewsHtml.ToText(raw.Title), raw.Link, feedLanguage, decoded.Encoding, decoded.Note);
        var items = new List<NewsItem>(raw.Items.Count);
        var skipped = new List<SkippedNewsItem>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        for (var i = 0; i < raw.Items.Count; i++)
        {
            var (item, reason) = normaliser.Normalise(raw.Items[i], source, feedLanguage, now);
            var position = i + 1;
            if (item is null)
            {
                skipped.Add(new SkippedNewsItem(position, NewsItemNormaliser.Hint(raw.Items[i]), reason!));
            }
            else if (positions.TryGetValue(item.Key, out var first))
            {
                skipped.Add(new SkippedNewsItem(position, NewsItemNormaliser.Hint(raw.Items[i]), $"the same item as number {first} of this feed (same id, link or title and date)"));
            }
            else
            {
                positions[item.Key] = position;
                items.Add(item);
            }
        }

        return new NewsFeedResult(info, items, skipped, null) { Break = feedBreak };
    }

    private static (RawFeed? Feed, FeedBreak? Break) Json(string text, Uri feedUrl, ref FeedParseError? error)
    {
        var (feed, readError) = JsonFeedReader.Read(text, feedUrl);
        error = readError;
        return (feed, null);
    }

    private (RawFeed? Feed, FeedBreak? Break) Xml(string text, Uri feedUrl, string? mediaType, ref FeedParseError? error)
    {
        var document = FeedXml.Load(text, _options.MaxFeedCharacters, mediaType);
        if (document.Root is not { } root)
        {
            error = document.Error;
            return (null, null);
        }

        var (kind, kindError) = FeedDetector.Kind(root);
        if (kind is null)
        {
            // A root that is no feed: what was wrong with the XML matters less than that.
            error = document.Break is null ? kindError : document.Error;
            return (null, null);
        }

        RawFeed? feed;
        try
        {
            (feed, error) = kind switch
            {
                XmlFeedKind.Rss => RssFeedReader.Read(text, root, feedUrl),
                XmlFeedKind.Rdf => RdfFeedReader.Read(text, root, feedUrl),
                _ => AtomFeedReader.Read(text, root, feedUrl),
            };
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or ArgumentException or FormatException or XmlException)
        {
            feed = null;
            error = new(FeedErrorCodes.Structure, $"The {root.Name.LocalName} document could not be read as a feed: {ex.Message}");
        }

        if (document.Break is not null && (feed is null || feed.Items.Count == 0))
        {
            // Broken before its first complete item: refused as a whole, as any malformed feed.
            error = document.Error;
            return (null, null);
        }

        return (feed, document.Break);
    }
}
