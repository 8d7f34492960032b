using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Radar.Core.Syndication;

namespace Radar.Core.WebSub;

/// <summary>The feed formats that are topics, with their path and content type.</summary>
public sealed record TopicFormat(string Name, string Path, string ContentType)
{
    public static readonly TopicFormat Rss = new("rss", "/api/feed.rss", FeedDocuments.RssContentType);
    public static readonly TopicFormat Atom = new("atom", "/api/feed.atom", FeedDocuments.AtomContentType);
    public static readonly TopicFormat Json = new("json", "/api/feed.json", FeedDocuments.JsonFeedContentType);

    public static readonly IReadOnlyList<TopicFormat> All = [Rss, Atom, Json];

    public static TopicFormat? ByPath(string path) => All.FirstOrDefault(f => string.Equals(f.Path, path, StringComparison.Ordinal));

    public static TopicFormat ByName(string name) => All.First(f => f.Name == name);

    public byte[] Render(FeedSelection feed, FeedLinks links) => Name switch
    {
        "rss" => FeedDocuments.Rss(feed, links),
        "atom" => FeedDocuments.Atom(feed, links),
        _ => FeedDocuments.JsonFeed(feed, links),
    };
}

/// <summary>
/// A topic: one of Radar's feeds with its filters (a saved search), identified by its canonical
/// self URL (<see cref="FeedLinks.Self"/> on <c>Radar__PublicUrl</c>), so two spellings of one
/// saved search are one topic.
/// </summary>
public sealed record WebSubTopic(string Url, TopicFormat Format, FeedRequest Request)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The topic's partition key in the table: a hash of its URL (URLs hold characters keys may not).</summary>
    public string Key => KeyOf(Url);

    public static WebSubTopic Of(Uri baseUrl, TopicFormat format, FeedRequest request) =>
        new(new FeedLinks(baseUrl, format.Path, request).Self, format, request);

    public static string KeyOf(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];

    public string RequestJson() => JsonSerializer.Serialize(Request, Json);

    public static FeedRequest ParseRequest(string json) => JsonSerializer.Deserialize<FeedRequest>(json, Json) ?? new FeedRequest();
}
