using System.Text.Json.Serialization;

namespace Radar.Core.News;

/// <summary>A source an item was reached through: its id in the source registry and its name
/// as readers see it.</summary>
public sealed record NewsSourceRef(string Id, string Name);

/// <summary>The source a feed is parsed for: what the normaliser needs from the registry.
/// <paramref name="Language"/> is used when the feed does not say its language.</summary>
public sealed record NewsSourceInfo(string Id, string Name, string? Language = null)
{
    public NewsSourceRef Ref => new(Id, Name);
}

/// <summary>Where <see cref="NewsItem.Published"/> came from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NewsDateOrigin>))]
public enum NewsDateOrigin
{
    /// <summary>The item's own publication date (RSS <c>pubDate</c>, <c>dc:date</c>, Atom
    /// <c>published</c>, JSON Feed <c>date_published</c>).</summary>
    [JsonStringEnumMemberName("published")]
    Published,

    /// <summary>Its last-update date (Atom <c>updated</c>, JSON Feed <c>date_modified</c>),
    /// because it had no publication date.</summary>
    [JsonStringEnumMemberName("updated")]
    Updated,

    /// <summary>No usable date in the feed: the time Radar first saw the item.</summary>
    [JsonStringEnumMemberName("firstSeen")]
    FirstSeen,
}

/// <summary>A news item after normalisation: what is stored and served.</summary>
public sealed record NewsItem
{
    /// <summary>See <see cref="NewsKey"/>: a hash of source id and guid (else link, else title and date).</summary>
    public required string Key { get; init; }

    /// <summary>Plain text, entities decoded, tags removed.</summary>
    public required string Title { get; init; }

    /// <summary>Absolute http(s) link without <c>utm_*</c> parameters and fragment; null when the
    /// feed gave none that is usable.</summary>
    public string? Link { get; init; }

    /// <summary>The feed's own id for the item (RSS <c>guid</c>, Atom <c>id</c>, RDF
    /// <c>rdf:about</c>, JSON Feed <c>id</c>), if any.</summary>
    public string? ItemId { get; init; }

    /// <summary>UTC.</summary>
    [JsonConverter(typeof(UtcTimestampConverter))]
    public required DateTimeOffset Published { get; init; }

    public NewsDateOrigin PublishedFrom { get; init; }

    /// <summary>Plain text of at most about 400 characters, cut at a word.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Sanitised HTML: no scripts, no event handlers, only http(s)/mailto links, all absolute.</summary>
    public string ContentHtml { get; init; } = "";

    public string? Author { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? Language { get; init; }

    /// <summary>The sources the story was reached through, the first one first.</summary>
    public required IReadOnlyList<NewsSourceRef> Sources { get; init; }

    /// <summary>Ids of the measures the item is about (<see cref="IRelatedMeasureFinder"/>).</summary>
    public IReadOnlyList<string> RelatedMeasures { get; init; } = [];
}
