namespace Radar.Core.News.Reading;

/// <summary>A feed as read, before normalisation: the same shape for every format.</summary>
internal sealed record RawFeed(
    FeedFormat Format,
    string? Title,
    string? Link,
    string? Language,
    string? Author,
    IReadOnlyList<RawFeedItem> Items);

/// <summary>One entry as the feed wrote it. Text fields are as read from the document (XML
/// escaping undone once); <see cref="ContentHtml"/> and <see cref="SummaryHtml"/> are HTML
/// (plain-text fields are HTML-encoded into it), not yet sanitised.</summary>
internal sealed record RawFeedItem
{
    public string? Id { get; init; }

    public string? Title { get; init; }

    public string? Link { get; init; }

    /// <summary>Base for <see cref="Link"/>: xml:base in scope, else the feed's URL.</summary>
    public Uri? LinkBase { get; init; }

    /// <summary>Base for URLs inside the content.</summary>
    public Uri? ContentBase { get; init; }

    public string? PublishedText { get; init; }

    public string? UpdatedText { get; init; }

    public string? Author { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    public string? ContentHtml { get; init; }

    public string? SummaryHtml { get; init; }

    public string? Language { get; init; }

    /// <summary>Set when the entry could not be read at all (a JSON item that is not an object).</summary>
    public string? Problem { get; init; }
}
