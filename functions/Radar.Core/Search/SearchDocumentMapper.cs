using System.Text.Json;
using Radar.Core.Measures;
using Radar.Core.News;
using Radar.Core.News.Normalising;
using Radar.Core.Vocabulary;

namespace Radar.Core.Search;

/// <summary>
/// Measures, their changes and news items as the index takes them. Texts a citizen reads in a hit
/// are German, in the words of the feeds and pages (<see cref="GermanChanges"/>): a change
/// document says what happened ("Öffentliches WLAN: Status von „In Planung“ zu „In Umsetzung“"),
/// with the radar's own labels for areas and statuses.
/// </summary>
public static class SearchDocumentMapper
{
    /// <summary>A measure on its radar: title, summary, tags and every text a reader may search
    /// for (description as plain text, goals, achievements, highlights, outlook, key figures, the
    /// area's and field's names) in the body.</summary>
    public static SearchDocument Measure(StoredMeasure stored, RadarDefinition? radar, string? defaultRadarId)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var measure = stored.Measure;
        var body = new List<string>
        {
            NewsHtml.ToText(measure.Description),
        };
        body.AddRange(measure.Goals);
        body.AddRange(measure.Achievements);
        body.AddRange(measure.Highlights);
        body.Add(measure.Outlook ?? string.Empty);
        body.AddRange(measure.Kpis.Select(kpi => kpi.Name));
        body.Add(GermanLabels.Area(radar, measure.Area));
        body.Add(measure.Field ?? string.Empty);
        return new SearchDocument
        {
            Type = SearchDocumentTypes.Measure,
            Id = measure.Id,
            RadarId = stored.RadarId,
            Title = measure.Title,
            Summary = measure.Summary,
            Body = Join(body),
            Tags = measure.Tags,
            Area = measure.Area,
            Status = measure.Status,
            Departments = measure.Departments,
            Field = measure.Field,
            Source = stored.SourceId,
            Date = measure.Updated ?? stored.ChangedAt,
            Url = RadarQueries.MeasureUrl(measure.Id, stored.RadarId, defaultRadarId),
            MeasureId = measure.Id,
        };
    }

    /// <summary>A change of a measure. <paramref name="measure"/> (its state after the change, or
    /// the current one) lends departments and tags, so that filters and searches for them find
    /// the change too.</summary>
    public static SearchDocument Change(MeasureChange change, RadarDefinition? radar, Measure? measure, string? defaultRadarId)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new SearchDocument
        {
            Type = SearchDocumentTypes.Change,
            Id = change.Id,
            RadarId = change.RadarId,
            Title = GermanChanges.Headline(change, radar),
            Summary = GermanChanges.Summary(change, radar),
            Body = change.Kind is ChangeKinds.Created or ChangeKinds.Restored ? measure?.Summary : null,
            Tags = measure?.Tags ?? [],
            Area = change.Area,
            Status = change.Status,
            Departments = measure?.Departments ?? [],
            Field = measure?.Field,
            Source = change.SourceId,
            Date = change.At,
            Url = RadarQueries.MeasureUrl(change.MeasureId, change.RadarId, defaultRadarId),
            MeasureId = change.MeasureId,
        };
    }

    /// <summary>A news item, filed under <paramref name="radarId"/>: the radar of its source, else
    /// the default radar (<see cref="RelatedScope.RadarOfAsync"/>, asked by every path that maps an
    /// item — the ingest's feed, the rebuild), whether or not it relates to a measure yet. Its
    /// related measure ids are ids on that radar.</summary>
    public static SearchDocument News(NewsItem item, string? radarId)
    {
        ArgumentNullException.ThrowIfNull(item);
        var radar = string.IsNullOrWhiteSpace(radarId) ? null : radarId.Trim();
        var related = radar is null
            ? []
            : item.RelatedMeasures.Select(id => SearchDocument.RelatedKey(radar, id)).ToList();
        return new SearchDocument
        {
            Type = SearchDocumentTypes.News,
            Id = item.Key,
            RadarId = radar,
            Title = item.Title,
            Summary = item.Summary,
            Body = NewsHtml.ToText(item.ContentHtml),
            Tags = item.Tags,
            Source = item.Sources.Count > 0 ? item.Sources[0].Name : null,
            Date = item.Published,
            Url = item.Link,
            RelatedMeasures = related,
            Record = JsonSerializer.Serialize(item, RecordJson.Options),
            ListedUnder = NewsListing(item),
        };
    }

    /// <summary>The listing terms of a news item: every listing it is in (all, per source, per tag).</summary>
    public static IReadOnlyList<string> NewsListing(NewsItem item) =>
        [NewsListingTerms.All, .. item.Sources.Select(s => NewsListingTerms.Source(s.Id)), .. item.Tags.Select(NewsListingTerms.Tag)];

    private static string Join(IEnumerable<string> parts) =>
        string.Join("\n", parts.Where(part => !string.IsNullOrWhiteSpace(part)).Select(part => part.Trim()));
}
