namespace Radar.Core.News;

/// <summary>The formats Radar reads.</summary>
public enum FeedFormat
{
    Rss20,
    Rss091,
    Rss092,
    MediaRss,
    Rdf,
    Atom,
    JsonFeed,
}

/// <summary>Why a whole feed was refused. <see cref="Code"/> is one of <see cref="FeedErrorCodes"/>;
/// <see cref="Message"/> says what was wrong in words an admin can act on.</summary>
public sealed record FeedParseError(string Code, string Message);

public static class FeedErrorCodes
{
    public const string Empty = "empty";
    public const string TooLarge = "too-large";
    public const string Html = "html";
    public const string Dtd = "dtd";
    public const string InvalidXml = "invalid-xml";
    public const string InvalidJson = "invalid-json";
    public const string NotAFeed = "not-a-feed";
    public const string Structure = "structure";
}

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

    public static NewsFeedResult Failed(string code, string message, FeedInfo? feed = null) =>
        new(feed, [], [], new FeedParseError(code, message));
}
