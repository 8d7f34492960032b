namespace Radar.Core.Search;

/// <summary>
/// What the index takes: one measure, news item or measure change, flattened. Measures, news and
/// changes map themselves onto it; the index knows nothing else about them.
/// </summary>
public sealed record SearchDocument
{
    /// <summary><see cref="SearchDocumentTypes"/>: measure, news or change.</summary>
    public required string Type { get; init; }

    /// <summary>Unique within its type and radar (measure ids are unique within their radar only);
    /// type, <see cref="RadarId"/> and id are the key for upsert and delete (a news item's id is
    /// unique over all radars: type and id are its key).</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>The radar it belongs to: a measure's and a change's own; a news item's source's
    /// radar, else the default radar.</summary>
    public string? RadarId { get; init; }

    /// <summary>Plain text: shown as the snippet when the query has no hit in it.</summary>
    public string? Summary { get; init; }

    /// <summary>Plain text (no HTML): description, goals, article text.</summary>
    public string? Body { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Area id (a radar sector), e.g. "infrastruktur".</summary>
    public string? Area { get; init; }

    /// <summary>Status id (a radar ring), e.g. "in-umsetzung".</summary>
    public string? Status { get; init; }

    /// <summary>Department names as shown, e.g. "IT-Referat".</summary>
    public IReadOnlyList<string> Departments { get; init; } = [];

    /// <summary>Field of action (Handlungsfeld).</summary>
    public string? Field { get; init; }

    /// <summary>Where it came from: a news source's name, a measure source id.</summary>
    public string? Source { get; init; }

    /// <summary>Last update (measure), publication (news), time of the change.</summary>
    public DateTimeOffset? Date { get; init; }

    /// <summary>Where a reader opens it: "/massnahmen/{id}" or a news item's link.</summary>
    public string? Url { get; init; }

    /// <summary>The measure a news item or change belongs to, if any.</summary>
    public string? MeasureId { get; init; }

    /// <summary>Measures a news item is about, as "radar:measure" keys (<see cref="RelatedKey"/>):
    /// an exact filter, so a measure's page finds its news.</summary>
    public IReadOnlyList<string> RelatedMeasures { get; init; } = [];

    public static string RelatedKey(string radarId, string measureId) => radarId + ":" + measureId;

    /// <summary>The whole item as JSON, stored for the read model (what the public routes show
    /// without reading the tables): a news item's <c>NewsItem</c>, a record's content.</summary>
    public string? Record { get; init; }

    /// <summary>Exact listing terms (a news item: <c>all</c>, <c>s:{source id}</c>,
    /// <c>t:{folded tag}</c>): what the news listing filters by, newest first.</summary>
    public IReadOnlyList<string> ListedUnder { get; init; } = [];
}

public static class SearchDocumentTypes
{
    public const string Measure = "measure";
    public const string News = "news";
    public const string Change = "change";

    public static readonly IReadOnlyList<string> All = [Measure, News, Change];

    /// <summary>Read-model records (a radar with its editions, a measure with its history and
    /// states): stored JSON only, never searched, suggested, faceted or counted — not in
    /// <see cref="All"/>. See <c>Search.Serving.SnapshotReads</c>.</summary>
    public const string Record = "record";

    /// <summary>What a search lists when it names no type: measures and news. A change repeats
    /// its measure's words ("neu im Radar" for every measure after a first import) and would
    /// crowd it out; changes are listed when asked for (<c>type=change</c>) and counted in the type
    /// facet either way, so a reader can choose them.</summary>
    public static readonly IReadOnlyList<string> ListedByDefault = [Measure, News];
}
