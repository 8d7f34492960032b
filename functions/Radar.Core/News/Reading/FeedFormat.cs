namespace Radar.Core.News.Reading;

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

/// <summary>
/// Where a feed stopped being well-formed, when items complete before that point were kept
/// (feedparser's "bozo" flag): the reader's message and the position in the decoded text
/// (1-based line and column).
/// </summary>
public sealed record FeedBreak(string Message, int Line, int Column)
{
    /// <summary>"The feed breaks off at line 12, column 5: Unexpected end of file …".</summary>
    public string Describe(int itemsKept) =>
        $"The feed is not well-formed XML from line {Line}, column {Column} on: {Message} The {itemsKept} item(s) complete before that point were read.";
}
