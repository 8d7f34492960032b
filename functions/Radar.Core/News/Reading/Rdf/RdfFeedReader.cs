using System.Xml.Linq;
using CodeHollow.FeedReader.Feeds;
using Radar.Core.News.Normalising;

namespace Radar.Core.News.Reading.Rdf;

/// <summary>
/// RDF Site Summary, RSS 1.0 (<c>&lt;rdf:RDF&gt;</c>), from the root element Radar loaded itself
/// (<see cref="FeedXml"/>): the items are siblings of the channel. CodeHollow.FeedReader's
/// <see cref="Rss10Feed"/> reads them; <c>rdf:about</c> is the item's id, <c>dc:subject</c> its
/// tags, <c>content:encoded</c> is taken raw.
/// </summary>
internal static class RdfFeedReader
{
    public static (RawFeed? Feed, FeedParseError? Error) Read(string text, XElement root, Uri feedUrl)
    {
        var channel = FeedXml.Child(root, "channel");
        if (channel is null)
        {
            return (null, new(FeedErrorCodes.Structure, "The RDF document has no <channel> element."));
        }

        var feed = new Rss10Feed(text, channel).ToFeed();
        var documentBase = CanonicalLink.HttpBase(feedUrl, FeedXml.Absolute(feed.Link));
        var items = new List<RawFeedItem>(feed.Items.Count);
        foreach (var item in feed.Items)
        {
            var rdf = (Rss10FeedItem)item.SpecificItem;
            var element = rdf.Element;
            var itemBase = FeedXml.XmlBase(element, documentBase);
            items.Add(new RawFeedItem
            {
                Id = string.IsNullOrWhiteSpace(rdf.About) ? null : rdf.About,
                Title = item.Title,
                Link = item.Link,
                LinkBase = itemBase,
                ContentBase = itemBase,
                PublishedText = rdf.DC?.DateString,
                Author = rdf.DC?.Creator,
                Categories = [.. element.Elements(FeedXml.Dc + "subject").Select(e => e.Value)],
                ContentHtml = (string?)element.Element(FeedXml.Content + "encoded"),
                SummaryHtml = rdf.Description,
                Language = rdf.DC?.Language,
            });
        }

        return (new RawFeed(FeedFormat.Rdf, feed.Title, feed.Link, feed.Language ?? (string?)channel.Element(FeedXml.Dc + "language"), null, items), null);
    }
}
