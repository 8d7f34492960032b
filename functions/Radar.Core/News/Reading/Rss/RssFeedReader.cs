using System.Text.RegularExpressions;
using System.Xml.Linq;
using CodeHollow.FeedReader.Feeds;
using Radar.Core.News.Normalising;

namespace Radar.Core.News.Reading.Rss;

/// <summary>
/// RSS 0.91, 0.92, 2.0 and Media RSS (<c>&lt;rss&gt;</c>), from the root element Radar loaded
/// itself (<see cref="FeedXml"/>). CodeHollow.FeedReader's class for the version reads the
/// channel; what the library gets wrong is taken from the raw elements: <c>content:encoded</c>
/// (it HTML-decodes it a second time), <c>dc:*</c> fallbacks, xml:base, and the permalink
/// <c>guid</c> standing in for a missing <c>&lt;link&gt;</c>.
/// </summary>
internal static partial class RssFeedReader
{
    public static (RawFeed? Feed, FeedParseError? Error) Read(string text, XElement root, Uri feedUrl)
    {
        var channel = FeedXml.Child(root, "channel");
        if (channel is null)
        {
            return (null, new(FeedErrorCodes.Structure, "The RSS document has no <channel> element."));
        }

        var version = ((string?)root.Attribute("version"))?.Trim() ?? "";
        BaseFeed specific = version switch
        {
            "0.91" => new Rss091Feed(text, channel),
            "0.92" => new Rss092Feed(text, channel),
            "2.0" when root.Attribute(XNamespace.Xmlns + "media") is not null => new MediaRssFeed(text, channel),
            _ => new Rss20Feed(text, channel),
        };

        var feed = specific.ToFeed();
        var documentBase = CanonicalLink.HttpBase(feedUrl, FeedXml.Absolute(feed.Link));
        var format = specific switch
        {
            MediaRssFeed => FeedFormat.MediaRss,
            Rss092Feed => FeedFormat.Rss092,
            Rss091Feed => FeedFormat.Rss091,
            _ => FeedFormat.Rss20,
        };
        var items = new List<RawFeedItem>(feed.Items.Count);
        foreach (var item in feed.Items)
        {
            var element = item.SpecificItem.Element;
            var (guid, author, published, categories) = item.SpecificItem switch
            {
                Rss20FeedItem rss => (rss.Guid, rss.Author ?? rss.DC?.Creator, rss.PublishingDateString ?? rss.DC?.DateString, rss.Categories),
                MediaRssFeedItem media => (media.Guid, media.Author ?? media.DC?.Creator, media.PublishingDateString ?? media.DC?.DateString, media.Categories),
                Rss092FeedItem rss092 => (null, null, rss092.PublishingDateString, rss092.Categories),
                Rss091FeedItem rss091 => ((string?)null, (string?)null, rss091.PublishingDateString, (ICollection<string>?)null),
                _ => (item.Id, item.Author, item.PublishingDateString, item.Categories),
            };
            var link = item.Link;
            if (string.IsNullOrWhiteSpace(link) && guid is not null
                && !string.Equals((string?)FeedXml.Child(element, "guid")?.Attribute("isPermaLink"), "false", StringComparison.OrdinalIgnoreCase))
            {
                link = guid; // a permalink guid is the item's link when <link> is missing
            }

            var itemBase = FeedXml.XmlBase(element, documentBase);
            items.Add(new RawFeedItem
            {
                Id = guid,
                Title = item.Title,
                Link = link,
                LinkBase = itemBase,
                ContentBase = itemBase,
                PublishedText = published,
                UpdatedText = null,
                Author = Author(author ?? (string?)element.Element(FeedXml.Dc + "creator")),
                Categories = [.. categories ?? [], .. element.Elements(FeedXml.Dc + "subject").Select(e => e.Value)],
                ContentHtml = (string?)element.Element(FeedXml.Content + "encoded"),
                SummaryHtml = FeedXml.Child(element, "description")?.Value,
                Language = (string?)element.Element(FeedXml.Dc + "language"),
            });
        }

        return (new RawFeed(format, feed.Title, feed.Link, feed.Language ?? (string?)channel.Element(FeedXml.Dc + "language"), null, items), null);
    }

    /// <summary>RSS authors are e-mail addresses, often with the name in brackets:
    /// <c>redaktion@example.org (Presseamt)</c> → <c>Presseamt</c>.</summary>
    private static string? Author(string? author)
    {
        if (string.IsNullOrWhiteSpace(author))
        {
            return null;
        }

        var match = author.Length > 300 ? Match.Empty : MailWithNameRegex().Match(author.Trim());
        return match.Success ? match.Groups["name"].Value : author;
    }

    [GeneratedRegex(@"^\S+@\S+\s*\((?<name>[^)]+)\)$")]
    private static partial Regex MailWithNameRegex();
}
