using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;
using Radar.Core.News;
using Radar.Core.Search;

namespace Radar.Core.Syndication;

/// <summary>Why a feed cannot be answered: the HTTP status and a message for the developer.</summary>
public sealed record FeedProblem(int Status, string Detail);

/// <summary>Either a feed or a problem.</summary>
public sealed record FeedOutcome(FeedSelection? Selection, FeedProblem? Problem);

/// <summary>
/// Selects the entries of the latest-changes feed. Without a query text it reads the tables:
/// the radar's changes newest first (one range read from the start of the partition's change
/// rows) and the news listing newest first; filters that the rows do not carry (department and
/// tag of a change's measure, the measures a news item relates to) are applied while reading,
/// reading at most <see cref="ScanLimit"/> rows of each. With a query text it asks the
/// <see cref="IFeedSearcher"/> (the search index) and reads the hits from the tables.
/// A bulk import (an edition, or a first import) is one entry of type <c>edition</c> in a feed
/// that does not filter by measure, area, status, department, tag or words, in place of its
/// per-measure changes (<see cref="MeasureChange.Bulk"/>); a feed that does filter keeps the
/// per-measure changes that match it.
/// </summary>
public sealed class FeedService(IRadarReads measures, RadarQueries radars, RadarTimeQueries time, INewsReads news, IFeedSearcher searcher)
{
    /// <summary>Rows read at most per kind for a filtered feed: an old match beyond them is not
    /// "latest" any more.</summary>
    public const int ScanLimit = 1000;

    public async Task<FeedOutcome> SelectAsync(FeedRequest request, CancellationToken cancellationToken)
    {
        var defaultId = await radars.DefaultRadarIdAsync(cancellationToken);
        var radarId = request.Radar ?? defaultId;
        var radar = radarId is null ? null : await measures.GetRadarAsync(radarId, cancellationToken);
        if (request.Radar is not null && radar is null)
        {
            return Fail(404, $"There is no radar '{request.Radar}'.");
        }

        var areas = Resolve(request.Areas, radar?.Areas.Select(a => (a.Id, a.Label)), radar is null ? null : id => radar.FindArea(id)?.Id, "area", radarId);
        if (areas.Problem is { } areaProblem)
        {
            return new(null, areaProblem);
        }

        var statuses = Resolve(request.Statuses, radar?.Statuses.Select(s => (s.Id, s.Label)), radar is null ? null : id => radar.FindStatus(id)?.Id, "status", radarId);
        if (statuses.Problem is { } statusProblem)
        {
            return new(null, statusProblem);
        }

        var stored = radarId is null ? [] : await measures.ListMeasuresAsync(radarId, cancellationToken);
        var byId = stored.ToDictionary(m => m.Measure.Id, StringComparer.Ordinal);
        StoredMeasure? measure = null;
        if (request.MeasureId is { } measureId && (!byId.TryGetValue(measureId, out measure)))
        {
            return Fail(404, radarId is null ? $"There is no measure '{measureId}'." : $"There is no measure '{measureId}' on radar '{radarId}'.");
        }

        var context = new Context(request, radar, radarId, defaultId, byId, areas.Ids, statuses.Ids);
        IReadOnlyList<FeedEntry> entries;
        if (request.Query.Length > 0)
        {
            var hits = await SearchAsync(context, cancellationToken);
            if (hits is null)
            {
                return Fail(503, "The search index is not loaded, so a feed with 'q' cannot be answered yet; feeds without 'q' work. Try again later.");
            }

            entries = await FromHitsAsync(context, hits, cancellationToken);
        }
        else
        {
            var wantsChanges = request.Wants(FeedEntryTypes.Change) && radarId is not null;
            var changes = wantsChanges ? await LatestChangesAsync(context, cancellationToken) : [];
            var editions = wantsChanges && context.FoldsBulk ? await LatestEditionsAsync(context, cancellationToken) : [];
            var items = request.Wants(FeedEntryTypes.News) ? await LatestNewsAsync(context, cancellationToken) : [];
            entries = await MergeAsync(context, changes, editions, items, cancellationToken);
        }

        var radarTitle = radar?.Title ?? "Radar";
        return new(new FeedSelection(
            request,
            FeedWording.Title(request, radarTitle, areas.Labels, statuses.Labels, measure?.Measure.Title),
            FeedWording.Description(request, radarTitle, areas.Labels, statuses.Labels, measure?.Measure.Title),
            radarId,
            radarTitle,
            entries), null);
    }

    private async Task<List<MeasureChange>> LatestChangesAsync(Context context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        IReadOnlyList<MeasureChange> rows = request.MeasureId is { } measureId
            ? await measures.GetHistoryAsync(context.RadarId!, measureId, cancellationToken)
            : await measures.GetLatestChangesAsync(context.RadarId!, context.FiltersChanges ? ScanLimit : request.Limit, cancellationToken);
        var matching = rows.Where(context.Matches).ToList();
        // Bulk changes make way for their edition's entry: when they crowd the first rows out,
        // read on (as a filtered feed does) for the changes seen one by one.
        if (context.FoldsBulk && matching.Count < request.Limit && rows.Count == request.Limit && request.MeasureId is null && !context.FiltersChanges)
        {
            rows = await measures.GetLatestChangesAsync(context.RadarId!, ScanLimit, cancellationToken);
            matching = [.. rows.Where(context.Matches)];
        }

        return [.. matching.Take(request.Limit)];
    }

    /// <summary>The radar's bulk imports as one entry each (<see cref="RadarTimeQueries.ListEditionSummariesAsync"/>).</summary>
    private async Task<List<FeedEntry>> LatestEditionsAsync(Context context, CancellationToken cancellationToken)
    {
        var summaries = await time.ListEditionSummariesAsync(context.RadarId!, int.MaxValue, cancellationToken);
        return [.. summaries.Where(s => context.InWindow(s.At)).Take(context.Request.Limit).Select(s => ToEntry(context, s))];
    }

    private async Task<List<NewsListEntry>> LatestNewsAsync(Context context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var tag = request.Tags.Count == 1 ? request.Tags[0] : null;
        var filtered = context.FiltersNews;
        var pageSize = filtered ? NewsQuery.MaxPageSize : request.Limit;
        var found = new List<NewsListEntry>();
        for (var page = 1; (page - 1) * pageSize < ScanLimit; page++)
        {
            var listing = await news.ListAsync(new NewsQuery(page, pageSize, null, tag), cancellationToken);
            found.AddRange(listing.Items.Where(context.Matches));
            if (found.Count >= request.Limit || !listing.HasMore || !filtered)
            {
                break;
            }
        }

        return [.. found.Take(request.Limit)];
    }

    private async Task<IReadOnlyList<FeedEntry>> MergeAsync(
        Context context, IReadOnlyList<MeasureChange> changes, IReadOnlyList<FeedEntry> editions, IReadOnlyList<NewsListEntry> items, CancellationToken cancellationToken)
    {
        var picked = changes.Select(c => (Date: c.At, Id: c.Id, Change: (MeasureChange?)c, News: (NewsListEntry?)null, Entry: (FeedEntry?)null))
            .Concat(editions.Select(e => (Date: e.Date, Id: e.Id, Change: (MeasureChange?)null, News: (NewsListEntry?)null, Entry: (FeedEntry?)e)))
            .Concat(items.Select(n => (Date: n.Published, Id: n.Key, Change: (MeasureChange?)null, News: (NewsListEntry?)n, Entry: (FeedEntry?)null)))
            .OrderByDescending(e => e.Date)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .Take(context.Request.Limit)
            .ToList();

        // Content is only in the item's record: one point read per news entry shown.
        var contents = await Task.WhenAll(picked.Select(p => p.News is { } n
            ? news.GetAsync(n.Key, cancellationToken)
            : Task.FromResult<NewsItem?>(null)));
        return [.. picked.Select((p, i) => p.Entry ?? (p.Change is { } change
            ? ToEntry(context, change)
            : ToEntry(context, p.News!, contents[i]?.ContentHtml)))];
    }

    private async Task<IReadOnlyList<FeedEntry>> FromHitsAsync(Context context, IReadOnlyList<FeedHit> hits, CancellationToken cancellationToken)
    {
        var histories = new Dictionary<(string, string), IReadOnlyList<MeasureChange>>();
        var entries = new List<FeedEntry>();
        foreach (var hit in hits)
        {
            if (hit.Type == FeedEntryTypes.Change && context.Request.Wants(FeedEntryTypes.Change)
                && hit.Id.Split(':') is [var radarId, var measureId, var sequence])
            {
                if (!histories.TryGetValue((radarId, measureId), out var history))
                {
                    history = await measures.GetHistoryAsync(radarId, measureId, cancellationToken);
                    histories[(radarId, measureId)] = history;
                }

                if (radarId == context.RadarId && history.FirstOrDefault(c => c.Id == hit.Id) is { } change && context.Matches(change))
                {
                    entries.Add(ToEntry(context, change));
                }
            }
            else if (hit.Type == FeedEntryTypes.News && context.Request.Wants(FeedEntryTypes.News)
                     && await news.GetAsync(hit.Id, cancellationToken) is { } item)
            {
                var listed = new NewsListEntry(item.Key, item.Title, item.Link, item.Published, item.PublishedFrom, item.Summary,
                    item.Author, item.Tags, item.Language, item.Sources, item.RelatedMeasures);
                if (context.Matches(listed))
                {
                    entries.Add(ToEntry(context, listed, item.ContentHtml));
                }
            }
        }

        return [.. entries.OrderByDescending(e => e.Date).ThenBy(e => e.Id, StringComparer.Ordinal).Take(context.Request.Limit)];
    }

    /// <summary>The index's changes and news for the query. News carry no area, status or
    /// department of their own (they belong to a filter through the measures they relate to), so
    /// with such filters they are searched apart: related to a measure that passes them.</summary>
    private async Task<IReadOnlyList<FeedHit>?> SearchAsync(Context context, CancellationToken cancellationToken)
    {
        var search = ToSearch(context);
        if (!context.Request.Wants(FeedEntryTypes.News) || !context.Request.FiltersMeasures)
        {
            return await searcher.SearchAsync(search, cancellationToken);
        }

        var changes = context.Request.Wants(FeedEntryTypes.Change)
            ? await searcher.SearchAsync(search with { Types = [FeedEntryTypes.Change] }, cancellationToken)
            : [];
        var related = context.RelatedMeasureIds;
        var news = related.Count == 0 || context.RadarId is not { } radarId
            ? []
            : await searcher.SearchAsync(
                search with
                {
                    Types = [FeedEntryTypes.News],
                    Areas = [],
                    Statuses = [],
                    Departments = [],
                    RelatedTo = [.. related.Select(id => SearchDocument.RelatedKey(radarId, id))],
                },
                cancellationToken);
        return changes is null || news is null ? null : [.. changes, .. news];
    }

    private static SearchRequest ToSearch(Context context) => new()
    {
        Query = context.Request.Query,
        Types = context.Request.Types,
        Areas = context.AreaIds,
        Statuses = context.StatusIds,
        Departments = context.Request.Departments,
        Tags = context.Request.Tags,
        From = context.Request.From,
        To = context.Request.To,
        Sort = SearchSort.Date,
        // Hits are filtered again here (radar, measure, related news): ask for more than shown.
        PageSize = SearchRequest.MaxPageSize,
    };

    private static FeedEntry ToEntry(Context context, MeasureChange change)
    {
        var radar = context.Radar;
        var url = RadarQueries.MeasureUrl(change.MeasureId, change.RadarId, context.DefaultId);
        var tags = context.Measures.TryGetValue(change.MeasureId, out var m) ? m.Measure.Tags : [];
        var area = ChangeWording.AreaLabel(radar, change.Area);
        var status = ChangeWording.StatusLabel(radar, change.Status);
        return new FeedEntry
        {
            Type = FeedEntryTypes.Change,
            Id = change.Id,
            Title = ChangeWording.Title(change, radar),
            Date = change.At,
            Url = url,
            Summary = ChangeWording.Summary(change, radar),
            Categories = [new("area", area.Id, area.Label), new("status", status.Id, status.Label), .. tags.Select(t => new FeedCategory("tag", t, t))],
            Radar = change.RadarId,
            Measure = new FeedMeasureRef(change.MeasureId, change.Title, url),
            Change = new FeedChange(
                change.Kind,
                change.Sequence,
                area,
                status,
                change.From is { } from ? ChangeWording.StatusLabel(radar, from) : null,
                change.To is { } to ? ChangeWording.StatusLabel(radar, to) : null,
                ChangeWording.Fields(change, radar)),
        };
    }

    private static FeedEntry ToEntry(Context context, EditionSummary summary)
    {
        var radarQuery = summary.RadarId == context.DefaultId ? "" : "?radar=" + Uri.EscapeDataString(summary.RadarId);
        var radarTitle = context.Radar?.Title ?? summary.RadarId;
        return new FeedEntry
        {
            Type = FeedEntryTypes.Edition,
            Id = summary.Id,
            Title = EditionWording.Title(summary, radarTitle),
            Date = summary.At,
            Url = summary.EditionId is { } edition ? $"/bericht/{Uri.EscapeDataString(edition)}{radarQuery}" : "/" + radarQuery,
            Summary = EditionWording.Summary(summary, radarTitle),
            Radar = summary.RadarId,
            Edition = new FeedEdition(summary.Kind, summary.EditionId, summary.Title, summary.Published, summary.Counts),
        };
    }

    private static FeedEntry ToEntry(Context context, NewsListEntry item, string? contentHtml)
    {
        var related = item.RelatedMeasures
            .Where(context.Measures.ContainsKey)
            .Select(id => context.Measures[id])
            .Select(m => new FeedMeasureRef(m.Measure.Id, m.Measure.Title, RadarQueries.MeasureUrl(m.Measure.Id, m.RadarId, context.DefaultId)))
            .ToList();
        return new FeedEntry
        {
            Type = FeedEntryTypes.News,
            Id = item.Key,
            Title = item.Title,
            Date = item.Published,
            Url = item.Link ?? related.FirstOrDefault()?.Url ?? "/",
            Summary = item.Summary,
            ContentHtml = string.IsNullOrWhiteSpace(contentHtml) ? null : contentHtml,
            Categories = [.. item.Tags.Select(t => new FeedCategory("tag", t, t))],
            News = new FeedNews(item.Link, item.Author, item.Sources, related),
        };
    }

    private static FeedOutcome Fail(int status, string detail) => new(null, new FeedProblem(status, detail));

    private sealed record Resolved(IReadOnlyList<string> Ids, IReadOnlyList<string> Labels, FeedProblem? Problem);

    /// <summary>Area and status values by id or label as people type them; an unknown one is a
    /// 400 that lists the known ones (a saved search with a typo should say so, not stay empty).</summary>
    private static Resolved Resolve(
        IReadOnlyList<string> typed, IEnumerable<(string Id, string Label)>? known, Func<string, string?>? find, string name, string? radarId)
    {
        if (typed.Count == 0)
        {
            return new([], [], null);
        }

        var list = known?.ToList() ?? [];
        var ids = new List<string>();
        foreach (var value in typed)
        {
            if (find?.Invoke(value) is not { } id)
            {
                var choices = list.Count == 0 ? "none (no radar has been ingested)" : string.Join(", ", list.Select(k => k.Id));
                return new([], [], new FeedProblem(400, $"There is no {name} '{(value.Length <= 40 ? value : value[..40] + "…")}' on radar '{radarId}'. Known: {choices}."));
            }

            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        return new(ids, [.. ids.Select(id => list.First(k => k.Id == id).Label)], null);
    }

    /// <summary>One request's filters, resolved against the radar.</summary>
    private sealed class Context(
        FeedRequest request,
        RadarDefinition? radar,
        string? radarId,
        string? defaultId,
        IReadOnlyDictionary<string, StoredMeasure> measures,
        IReadOnlyList<string> areaIds,
        IReadOnlyList<string> statusIds)
    {
        private readonly HashSet<string> _departments = [.. request.Departments.Select(d => Slug.From(d))];
        private readonly HashSet<string> _tags = [.. request.Tags.Select(t => Slug.From(t))];
        private HashSet<string>? _relatedIds;

        public FeedRequest Request => request;
        public RadarDefinition? Radar => radar;
        public string? RadarId => radarId;
        public string? DefaultId => defaultId;
        public IReadOnlyDictionary<string, StoredMeasure> Measures => measures;
        public IReadOnlyList<string> AreaIds => areaIds;
        public IReadOnlyList<string> StatusIds => statusIds;

        public bool FiltersChanges =>
            areaIds.Count > 0 || statusIds.Count > 0 || _departments.Count > 0 || _tags.Count > 0 || request.From is not null || request.To is not null;

        /// <summary>Whether bulk imports show as one entry each: nothing narrows the feed to some measures.</summary>
        public bool FoldsBulk =>
            request.Query.Length == 0 && request.MeasureId is null && areaIds.Count == 0 && statusIds.Count == 0 && _departments.Count == 0 && _tags.Count == 0;

        public bool FiltersNews => request.FiltersMeasures || _tags.Count > 1 || request.From is not null || request.To is not null;

        public bool Matches(MeasureChange change) =>
            !(FoldsBulk && change.Bulk) &&
            (areaIds.Count == 0 || areaIds.Contains(change.Area)) &&
            (statusIds.Count == 0 || statusIds.Contains(change.Status)) &&
            (request.MeasureId is null || change.MeasureId == request.MeasureId) &&
            InWindow(change.At) &&
            ((_departments.Count == 0 && _tags.Count == 0) ||
             (measures.TryGetValue(change.MeasureId, out var m) && HasDepartmentsAndTags(m.Measure)));

        public bool Matches(NewsListEntry item) =>
            InWindow(item.Published) &&
            (_tags.Count == 0 || item.Tags.Any(t => _tags.Contains(Slug.From(t)))) &&
            (!request.FiltersMeasures || item.RelatedMeasures.Any(RelatedIds.Contains));

        /// <summary>Measures of the radar that pass the measure filters: a news item is in the
        /// feed when it relates to one of them.</summary>
        public IReadOnlyCollection<string> RelatedMeasureIds => RelatedIds;

        private HashSet<string> RelatedIds => _relatedIds ??= [.. measures.Values
            .Where(m => (areaIds.Count == 0 || areaIds.Contains(m.Measure.Area)) &&
                        (statusIds.Count == 0 || statusIds.Contains(m.Measure.Status)) &&
                        (request.MeasureId is null || m.Measure.Id == request.MeasureId) &&
                        (_departments.Count == 0 || m.Measure.Departments.Any(d => _departments.Contains(Slug.From(d)))))
            .Select(m => m.Measure.Id)];

        private bool HasDepartmentsAndTags(Measure measure) =>
            (_departments.Count == 0 || measure.Departments.Any(d => _departments.Contains(Slug.From(d)))) &&
            (_tags.Count == 0 || measure.Tags.Any(t => _tags.Contains(Slug.From(t))));

        public bool InWindow(DateTimeOffset at) =>
            (request.From is not { } from || at >= from) && (request.To is not { } to || at < to);
    }
}
