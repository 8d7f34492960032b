using Microsoft.Extensions.Options;

namespace Radar.Core.Measures.Timeline;

/// <summary>
/// The radar in time, for the public routes and pages: as of a date or an edition, the list of
/// editions, the difference between two moments, one measure then, an edition's report, and the
/// bulk imports as feed events. Loads the radar's timeline (<see cref="RadarTimelineLoader"/>,
/// cached per version) and asks <see cref="RadarTime"/>; validation outcomes come back as
/// <see cref="TimeProblem"/> (400 naming the parameter, or 404).
/// </summary>
public sealed class RadarTimeQueries(
    RadarTimelineLoader loader,
    IRadarReads store,
    IOptions<MeasuresOptions> options,
    TimeProvider clock)
{
    /// <summary><c>GET /api/radar?asOf=</c> or <c>?edition=</c> (one of them; neither: now).</summary>
    public async Task<TimeResult<RadarAsOf>> GetRadarAsOfAsync(string? radarId, string? asOf, string? edition, CancellationToken cancellationToken)
    {
        if (asOf is not null && edition is not null)
        {
            return TimeResult.Fail<RadarAsOf>(TimeProblem.BadRequest("edition", "Give either 'asOf' (a date) or 'edition', not both."));
        }

        var (context, problem) = await LoadAsync(radarId, cancellationToken);
        if (context is null)
        {
            return TimeResult.Fail<RadarAsOf>(problem!);
        }

        var (point, pointProblem) = asOf is not null ? TimeArguments.Date(context.Timeline, "asOf", asOf, context.Today)
            : edition is not null ? TimeArguments.Edition(context.Timeline, "edition", edition)
            : (TimePoint.Latest, null);
        return point is null
            ? TimeResult.Fail<RadarAsOf>(pointProblem!)
            : TimeResult.Ok<RadarAsOf>(RadarTime.AsOf(context.Timeline, point, context.Now, options.Value.NewWindowDays, context.Url));
    }

    /// <summary><c>GET /api/radar/editions</c>: newest first.</summary>
    public async Task<TimeResult<RadarEditions>> ListEditionsAsync(string? radarId, CancellationToken cancellationToken)
    {
        var defaultId = await store.DefaultRadarIdAsync(cancellationToken);
        var id = radarId ?? defaultId;
        if (id is null || await store.GetRadarAsync(id, cancellationToken) is not { } radar)
        {
            return TimeResult.Fail<RadarEditions>(NoRadar(radarId));
        }

        var list = await store.ListEditionsAsync(id, cancellationToken);
        return TimeResult.Ok<RadarEditions>(new RadarEditions(
            new RadarSummary(id, radar.Title, id == defaultId), [.. list.Reverse().Select(RadarTime.ListItem)]));
    }

    /// <summary><c>GET /api/radar/diff?from=&amp;to=</c>: each a date or an edition id; <c>to</c>
    /// defaults to today (its end in Berlin: everything recorded so far). <c>from</c> after <c>to</c> is a 400; equal, an empty difference.</summary>
    public async Task<TimeResult<RadarDiff>> GetDiffAsync(string? radarId, string? from, string? to, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(from))
        {
            return TimeResult.Fail<RadarDiff>(TimeProblem.BadRequest("from", "'from' is required: a date YYYY-MM-DD or an edition id such as '2023'."));
        }

        var (context, problem) = await LoadAsync(radarId, cancellationToken);
        if (context is null)
        {
            return TimeResult.Fail<RadarDiff>(problem!);
        }

        var (start, startProblem) = TimeArguments.DateOrEdition(context.Timeline, "from", from, context.Today);
        if (start is null)
        {
            return TimeResult.Fail<RadarDiff>(startProblem!);
        }

        // No 'to': the end of today (Berlin), which holds everything recorded so far. Not the
        // instant of the request: an answer that names it would differ on every request, so it
        // could never be revalidated (ETag, 304) or shared by caches.
        var (end, endProblem) = string.IsNullOrEmpty(to) ? (TimePoint.OfDate(context.Today), null) : TimeArguments.DateOrEdition(context.Timeline, "to", to, context.Today);
        if (end is null)
        {
            return TimeResult.Fail<RadarDiff>(endProblem!);
        }

        if (!end.IsLatest && TimeArguments.After(start, end))
        {
            return TimeResult.Fail<RadarDiff>(TimeProblem.BadRequest("from", $"'from' ({from}) is after 'to' ({to}); give the earlier moment as 'from'."));
        }

        return TimeResult.Ok<RadarDiff>(RadarTime.Diff(context.Timeline, start, end, context.Now, context.Url));
    }

    /// <summary><c>GET /api/measures/{id}?asOf=</c> (null: now, with its status in every edition).</summary>
    public async Task<TimeResult<MeasureAsOf>> GetMeasureAsOfAsync(string? radarId, string measureId, string? asOf, CancellationToken cancellationToken)
    {
        var (context, problem) = await LoadAsync(radarId, cancellationToken);
        if (context is null)
        {
            return TimeResult.Fail<MeasureAsOf>(problem!);
        }

        if (!Slug.IsValid(measureId, MeasureValidator.MaxIdLength) || !context.Timeline.Measures.ContainsKey(measureId))
        {
            return TimeResult.Fail<MeasureAsOf>(TimeProblem.NotFound(null, $"There is no measure '{measureId}' on radar '{context.Timeline.RadarId}'."));
        }

        var (point, pointProblem) = asOf is null ? (TimePoint.Latest, null) : TimeArguments.Date(context.Timeline, "asOf", asOf, context.Today);
        if (point is null)
        {
            return TimeResult.Fail<MeasureAsOf>(pointProblem!);
        }

        var summary = new RadarSummary(context.Timeline.RadarId, context.Timeline.Radar.Title, context.Timeline.RadarId == context.DefaultId);
        return RadarTime.Measure(context.Timeline, measureId, point, context.Now, summary, context.Url(measureId)) is { } found
            ? TimeResult.Ok<MeasureAsOf>(found)
            : TimeResult.Fail<MeasureAsOf>(TimeProblem.NotFound("asOf",
                $"Measure '{measureId}' was not on radar '{context.Timeline.RadarId}' yet on {asOf} (first recorded " +
                $"{BerlinTime.Format(BerlinTime.DateOf(context.Timeline.Measures[measureId].States.First(s => s.Present).At))})."));
    }

    /// <summary>The report of one edition (<c>/bericht/{edition}</c>).</summary>
    public async Task<TimeResult<EditionReport>> GetEditionReportAsync(string? radarId, string editionId, CancellationToken cancellationToken)
    {
        var (context, problem) = await LoadAsync(radarId, cancellationToken);
        if (context is null)
        {
            return TimeResult.Fail<EditionReport>(problem!);
        }

        var (point, pointProblem) = TimeArguments.Edition(context.Timeline, "edition", editionId);
        return point is null
            ? TimeResult.Fail<EditionReport>(pointProblem!)
            : TimeResult.Ok<EditionReport>(RadarTime.Report(context.Timeline, context.Timeline.FindEdition(editionId)!, context.Now,
                options.Value.NewWindowDays, context.Url));
    }

    /// <summary>
    /// The radar's bulk imports — its editions and its first import without an edition — as one
    /// event each, newest first: what the changes feeds show as one entry of type <c>edition</c>
    /// ("Digitalisierungsbericht 2024: 5 neue Maßnahmen, …"). Read from the editions' stored
    /// counts (kept current by every write), so it costs one short partition read.
    /// </summary>
    public async Task<IReadOnlyList<EditionSummary>> ListEditionSummariesAsync(string radarId, int take, CancellationToken cancellationToken)
    {
        var recordTask = store.GetRadarRecordAsync(radarId, cancellationToken);
        var list = await store.ListEditionsAsync(radarId, cancellationToken);
        var record = await recordTask;
        var events = list.Select(e => new EditionSummary(radarId, $"{radarId}:{e.Id}", EditionSummaryKinds.Edition, e.Id, e.Title, e.At, e.Published, e.Counts)).ToList();
        if (record?.FirstImport is { } first)
        {
            events.Add(new EditionSummary(radarId, $"{radarId}:{TimelineState.Stamp(first.At)}", EditionSummaryKinds.FirstImport, null,
                record.Definition?.Title ?? radarId, first.At, null, first.Counts));
        }

        return [.. events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id, StringComparer.Ordinal).Take(take)];
    }

    private async Task<(Context? Context, TimeProblem? Problem)> LoadAsync(string? radarId, CancellationToken cancellationToken)
    {
        var defaultId = await store.DefaultRadarIdAsync(cancellationToken);
        var id = radarId ?? defaultId;
        if (id is null || await loader.LoadAsync(id, cancellationToken) is not { } timeline)
        {
            return (null, NoRadar(radarId));
        }

        var now = clock.GetUtcNow();
        return (new Context(timeline, defaultId, now, BerlinTime.DateOf(now)), null);
    }

    private static TimeProblem NoRadar(string? radarId) => TimeProblem.NotFound("radar", radarId is null
        ? "No radar has been ingested yet: configure a measures source (Radar__Sources__…) and run the ingest."
        : $"There is no radar '{radarId}'.");

    private sealed record Context(RadarTimeline Timeline, string? DefaultId, DateTimeOffset Now, DateOnly Today)
    {
        public string Url(string measureId) => RadarQueries.MeasureUrl(measureId, Timeline.RadarId, DefaultId);
    }
}
