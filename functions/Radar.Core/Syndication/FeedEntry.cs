using System.Text.Json.Serialization;
using Radar.Core.News;

namespace Radar.Core.Syndication;

/// <summary>
/// One entry of the latest-changes feed: a measure change or a news item, told in German. URLs
/// are relative to the site (<c>/massnahmen/…</c>) except news links, which point to the article;
/// the feed writers make them absolute.
/// </summary>
public sealed record FeedEntry
{
    /// <summary><see cref="FeedEntryTypes"/>: change, news, or edition (a bulk import as one entry).</summary>
    public required string Type { get; init; }

    /// <summary>Stable: the change id (<c>radar:measure:edition</c>, <c>radar:measure:time</c>),
    /// the news item's key, or an edition's <c>radar:edition</c>.</summary>
    public required string Id { get; init; }

    /// <summary>What happened, in German ("Öffentliches WLAN: Status von „In Planung“ zu „In Umsetzung“").</summary>
    public required string Title { get; init; }

    /// <summary>When the change was recorded, or when the news item was published.</summary>
    [JsonConverter(typeof(UtcTimestampConverter))]
    public required DateTimeOffset Date { get; init; }

    /// <summary>The measure page for a change; the article for news (else the first related
    /// measure's page).</summary>
    public required string Url { get; init; }

    /// <summary>Plain text.</summary>
    public required string Summary { get; init; }

    /// <summary>Sanitised HTML (news content); null for changes.</summary>
    public string? ContentHtml { get; init; }

    /// <summary>Area, status (of the measure) and tags.</summary>
    public IReadOnlyList<FeedCategory> Categories { get; init; } = [];

    public string? Radar { get; init; }

    /// <summary>The measure a change belongs to.</summary>
    public FeedMeasureRef? Measure { get; init; }

    public FeedChange? Change { get; init; }

    public FeedNews? News { get; init; }

    /// <summary>The bulk import an <c>edition</c> entry tells of.</summary>
    public FeedEdition? Edition { get; init; }
}

/// <summary>A bulk import as a feed entry: an edition, or a radar's first import without one.</summary>
/// <param name="Kind"><c>edition</c> or <c>first-import</c>.</param>
/// <param name="Id">The edition's id (null for a first import).</param>
public sealed record FeedEdition(string Kind, string? Id, string Title, DateOnly? Published, Radar.Core.Measures.EditionCounts Counts);

/// <param name="Kind"><c>area</c>, <c>status</c> or <c>tag</c>.</param>
/// <param name="Term">The id (areas, statuses) or the tag as written.</param>
/// <param name="Label">As readers see it.</param>
public sealed record FeedCategory(string Kind, string Term, string Label);

public sealed record FeedMeasureRef(string Id, string Title, string Url);

public sealed record FeedLabel(string Id, string Label);

/// <summary>A changed field: its German name and, for short values, old and new as shown.</summary>
public sealed record FeedFieldChange(string Field, string Label, string? Old, string? New);

/// <param name="Kind"><c>created</c>, <c>updated</c>, <c>status-changed</c>, <c>removed</c>, <c>restored</c>.</param>
public sealed record FeedChange(
    string Kind,
    int Sequence,
    FeedLabel Area,
    FeedLabel Status,
    FeedLabel? From,
    FeedLabel? To,
    IReadOnlyList<FeedFieldChange> Fields);

public sealed record FeedNews(
    string? Link,
    string? Author,
    IReadOnlyList<NewsSourceRef> Sources,
    IReadOnlyList<FeedMeasureRef> RelatedMeasures);

/// <summary>A feed's entries, newest first, with its German title and description.</summary>
public sealed record FeedSelection(
    FeedRequest Request,
    string Title,
    string Description,
    string? RadarId,
    string RadarTitle,
    IReadOnlyList<FeedEntry> Entries)
{
    /// <summary>The newest entry's date; the Unix epoch for an empty feed (so that it stays the
    /// same between requests).</summary>
    public DateTimeOffset Updated => Entries.Count == 0 ? DateTimeOffset.UnixEpoch : Entries.Max(e => e.Date);
}
