using Radar.Core.News.Reading;

namespace Radar.Core.News;

/// <summary>What the feed said about itself, and how its bytes were read.</summary>
public sealed record FeedInfo(
    FeedFormat Format,
    string? Title,
    string? Link,
    string? Language,
    string Encoding,
    string? EncodingNote);

/// <summary>An item of the feed that was not taken, and why.</summary>
/// <param name="Position">1-based position in the feed.</param>
/// <param name="Hint">Its title, id or link, whatever it had, to find it in the feed.</param>
public sealed record SkippedNewsItem(int Position, string? Hint, string Reason);

/// <summary>The outcome of parsing one feed: either <see cref="Error"/> (the feed as a whole was
/// refused), or the normalised <see cref="Items"/> plus the <see cref="Skipped"/> ones with reasons.</summary>
public sealed record NewsFeedResult(
    FeedInfo? Feed,
    IReadOnlyList<NewsItem> Items,
    IReadOnlyList<SkippedNewsItem> Skipped,
    FeedParseError? Error)
{
    public bool Succeeded => Error is null;

    /// <summary>Set when the XML broke after some items were complete: <see cref="Items"/> holds
    /// those, and the source counts as <c>partial</c> (feedparser's "bozo" feeds).</summary>
    public FeedBreak? Break { get; init; }

    public static NewsFeedResult Failed(string code, string message, FeedInfo? feed = null) =>
        new(feed, [], [], new FeedParseError(code, message));
}
