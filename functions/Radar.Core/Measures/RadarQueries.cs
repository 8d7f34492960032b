using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Radar.Core.Measures;

/// <summary>The radar and single measures as readers see them now (the past: <see cref="Timeline.RadarTimeQueries"/>).</summary>
public sealed class RadarQueries(
    IRadarReads store,
    IOptions<MeasuresOptions> options,
    TimeProvider clock,
    IRelatedNewsFinder relatedNews)
{
    // Views of the radar kept while the reads stay the same (IRadarReads.Version) and the hour
    // (what "now" is rounded to) has not moved on; bounded, as radar ids come from requests.
    private const int MaxViews = 64;
    private readonly ConcurrentDictionary<(object Version, string? RadarId, long Hour), RadarView?> _views = new();

    /// <summary>The radar served when a request names none.</summary>
    public Task<string?> DefaultRadarIdAsync(CancellationToken cancellationToken) => store.DefaultRadarIdAsync(cancellationToken);

    /// <summary>The radar <paramref name="radarId"/> (the default when null) with its current
    /// measures; null when there is no such radar.</summary>
    public async Task<RadarView?> GetRadarAsync(string? radarId, CancellationToken cancellationToken)
    {
        if (store.Version is not { } version)
        {
            return await BuildRadarAsync(radarId, cancellationToken);
        }

        var key = (version, radarId, clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerHour);
        if (_views.TryGetValue(key, out var kept))
        {
            return kept;
        }

        var view = await BuildRadarAsync(radarId, cancellationToken);
        if (_views.Count >= MaxViews)
        {
            _views.Clear();
        }

        _views[key] = view;
        return view;
    }

    private async Task<RadarView?> BuildRadarAsync(string? radarId, CancellationToken cancellationToken)
    {
        var defaultId = await DefaultRadarIdAsync(cancellationToken);
        var id = radarId ?? defaultId;
        if (id is null || await store.GetRadarAsync(id, cancellationToken) is not { } radar)
        {
            return null;
        }

        // Whole hours: the answer (and so its ETag) stays the same between data changes.
        var now = clock.GetUtcNow();
        now = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
        var days = Math.Max(1, options.Value.NewWindowDays);
        var since = now.AddDays(-days);
        var areaOrder = radar.Areas.Select((a, i) => (a.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var statusOrder = radar.Statuses.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var storedTask = store.ListMeasuresAsync(radar.Id, cancellationToken);
        var editionsTask = store.ListEditionsAsync(radar.Id, cancellationToken);
        var stored = await storedTask;
        var radarEditions = await editionsTask;
        DateTimeOffset? lastChanged = stored.Count == 0 ? null : stored.Max(m => m.ChangedAt);

        // With editions, new and moved are relative to the edition before the newest (with one
        // edition, to that one): "what changed since last year's report". Without, the window.
        var baseline = radarEditions.Count switch
        {
            0 => null,
            1 => radarEditions[0],
            _ => radarEditions[^2],
        };
        bool IsNew(StoredMeasure m) => baseline is null ? m.CreatedAt >= since : !baseline.OnRadarOrMembers.ContainsKey(m.Measure.Id);
        bool IsMoved(StoredMeasure m) => baseline is null
            ? m.StatusChangedAt is { } moved && moved >= since
            : baseline.OnRadarOrMembers.TryGetValue(m.Measure.Id, out var status) && status != m.Measure.Status;
        var measures = stored
            .Where(m => !m.Removed)
            .OrderBy(m => areaOrder.GetValueOrDefault(m.Measure.Area, int.MaxValue))
            .ThenBy(m => statusOrder.GetValueOrDefault(m.Measure.Status, int.MaxValue))
            .ThenBy(m => m.Measure.Title, StringComparer.CurrentCulture)
            .Select(m => new RadarMeasure(
                m.Measure.Id,
                m.Measure.Title,
                m.Measure.Area,
                m.Measure.Field,
                m.Measure.Departments,
                m.Measure.Status,
                m.Measure.Progress,
                New: IsNew(m),
                Moved: IsMoved(m),
                Url: MeasureUrl(m.Measure.Id, radar.Id, defaultId)))
            .ToList();

        var counts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var area in radar.Areas)
        {
            counts[area.Id] = radar.Statuses.ToDictionary(s => s.Id, s => measures.Count(m => m.Area == area.Id && m.Status == s.Id), StringComparer.Ordinal);
        }

        var totals = new RadarTotals(
            measures.Count,
            radar.Areas.ToDictionary(a => a.Id, a => measures.Count(m => m.Area == a.Id), StringComparer.Ordinal),
            radar.Statuses.ToDictionary(s => s.Id, s => measures.Count(m => m.Status == s.Id), StringComparer.Ordinal),
            measures.Count(m => m.New),
            measures.Count(m => m.Moved));
        var radars = (await store.ListRadarsAsync(cancellationToken))
            .OrderBy(r => r.Id != defaultId)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new RadarSummary(r.Id, r.Title, r.Id == defaultId))
            .ToList();
        var window = baseline is null
            ? new RadarWindow(days, since)
            : new RadarWindow(days, baseline.At) { Edition = baseline.Id, EditionTitle = baseline.Title };
        return new RadarView(StatusPalette.Apply(radar), measures, counts, totals, window, radars, lastChanged)
        {
            Editions = [.. radarEditions.Reverse().Select(e => new EditionRef(e.Id, e.Title, e.Published))],
        };
    }

    /// <summary>One measure with every field and its history (newest first), removed or not;
    /// null when the radar has no measure with that id.</summary>
    public async Task<MeasureDetail?> GetMeasureAsync(string? radarId, string measureId, CancellationToken cancellationToken)
    {
        var defaultId = await DefaultRadarIdAsync(cancellationToken);
        var id = radarId ?? defaultId;
        if (id is null || !Slug.IsValid(measureId, MeasureValidator.MaxIdLength) ||
            await store.GetMeasureAsync(id, measureId, cancellationToken) is not { } stored)
        {
            return null;
        }

        var radarTask = store.GetRadarAsync(id, cancellationToken);
        var changesTask = store.GetHistoryAsync(id, measureId, cancellationToken);
        var newsTask = relatedNews.FindAsync(id, measureId, cancellationToken);
        var radar = await radarTask;
        var changes = await changesTask;
        var news = await newsTask;
        var measure = stored.Measure;
        return new MeasureDetail(
            new RadarSummary(id, radar?.Title ?? id, id == defaultId),
            measure,
            radar?.Areas.FirstOrDefault(a => a.Id == measure.Area) ?? new RadarArea(measure.Area, measure.Area),
            (radar is null ? null : StatusPalette.Apply(radar).Statuses.FirstOrDefault(s => s.Id == measure.Status)) ?? new RadarStatus(measure.Status, measure.Status),
            stored.Removed,
            stored.CreatedAt,
            stored.ChangedAt,
            stored.RemovedAt,
            MeasureUrl(measure.Id, id, defaultId),
            changes)
        {
            RelatedNews = news,
        };
    }

    public static string MeasureUrl(string measureId, string radarId, string? defaultRadarId) =>
        radarId == defaultRadarId
            ? $"/massnahmen/{Uri.EscapeDataString(measureId)}"
            : $"/massnahmen/{Uri.EscapeDataString(measureId)}?radar={Uri.EscapeDataString(radarId)}";
}

/// <summary><c>GET /api/radar</c>: the definition (every status with its colour), the measures
/// on it, counts per area × status and totals.</summary>
public sealed record RadarView(
    RadarDefinition Radar,
    IReadOnlyList<RadarMeasure> Measures,
    IReadOnlyDictionary<string, Dictionary<string, int>> Counts,
    RadarTotals Totals,
    RadarWindow Window,
    IReadOnlyList<RadarSummary> Radars,
    DateTimeOffset? LastChanged)
{
    /// <summary>The radar's editions, newest first (empty for a radar without editions).</summary>
    public IReadOnlyList<EditionRef> Editions { get; init; } = [];
}

/// <summary>An edition as lists and pickers name it.</summary>
public sealed record EditionRef(string Id, string Title, DateOnly Published);

/// <param name="New">Not on the radar in the baseline edition (the one before the newest), or,
/// for a radar without editions, created within the window.</param>
/// <param name="Moved">Another status than in the baseline edition, or (no editions) status
/// changed within the window.</param>
public sealed record RadarMeasure(
    string Id,
    string Title,
    string Area,
    string? Field,
    string[] Departments,
    string Status,
    int? Progress,
    bool New,
    bool Moved,
    string Url);

/// <summary>Measures on the radar: all, per area, per status, and how many are <c>new</c> or <c>moved</c>.</summary>
public sealed record RadarTotals(
    int Measures,
    IReadOnlyDictionary<string, int> Areas,
    IReadOnlyDictionary<string, int> Statuses,
    int New,
    int Moved);

/// <summary>What <c>new</c> and <c>moved</c> mean in this answer: since <see cref="Since"/> —
/// the end of the baseline edition's publication day when <see cref="Edition"/> is set, else
/// <see cref="Days"/> days back from now.</summary>
public sealed record RadarWindow(int Days, DateTimeOffset Since)
{
    /// <summary>The edition new and moved are relative to (the one before the newest).</summary>
    public string? Edition { get; init; }

    public string? EditionTitle { get; init; }
}

public sealed record RadarSummary(string Id, string Title, bool Default);

/// <summary><c>GET /api/measures/{id}</c>.</summary>
public sealed record MeasureDetail(
    RadarSummary Radar,
    Measure Measure,
    RadarArea Area,
    RadarStatus Status,
    bool Removed,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastChangedAt,
    DateTimeOffset? RemovedAt,
    string Url,
    IReadOnlyList<MeasureChange> Changes)
{
    /// <summary>News about the measure, newest first (<see cref="IRelatedNewsFinder"/>).</summary>
    public IReadOnlyList<RelatedNews> RelatedNews { get; init; } = [];
}
