
namespace Radar.Core.Measures.Timeline;

/// <summary>
/// The radar in the past, as pure functions of a <see cref="RadarTimeline"/>: as of a moment, the
/// difference between two moments, one measure then, an edition's report. No storage, no clock:
/// <c>now</c> arguments say what "now" is.
/// </summary>
public static class RadarTime
{
    /// <summary>The radar at <paramref name="point"/>. New and moved: against the edition before
    /// the newest one at that moment (with one edition, that one); without editions, created or
    /// moved within <paramref name="windowDays"/> days before the moment.</summary>
    public static RadarAsOf AsOf(RadarTimeline timeline, TimePoint point, DateTimeOffset now, int windowDays, Func<string, string> url)
    {
        var view = View(point, now);
        var edition = timeline.EditionAt(point);
        var effective = timeline.Editions.Where(point.Includes).ToList();
        var baseline = effective.Count switch
        {
            0 => null,
            1 => effective[0],
            _ => effective[^2],
        };
        var baselinePoint = baseline is null ? null : TimePoint.Of(baseline);
        var since = view.At.AddDays(-Math.Max(1, windowDays));
        var radar = StatusPalette.Apply(point.IsLatest || edition is null ? timeline.Radar : edition.Definition);
        var areaOrder = radar.Areas.Select((a, i) => (a.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var statusOrder = radar.Statuses.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);

        var measures = new List<AsOfMeasure>();
        foreach (var measure in timeline.Measures.Values)
        {
            if (measure.StateAt(point)?.Measure is not { } content)
            {
                continue;
            }

            bool isNew, moved;
            string? movedFrom = null;
            if (baselinePoint is not null)
            {
                var before = measure.StateAt(baselinePoint);
                isNew = before?.Measure is null;
                moved = before?.Measure is { } then && then.Status != content.Status;
                movedFrom = moved ? before!.Measure!.Status : null;
            }
            else
            {
                var changes = measure.Derived.Changes.Where(c => c.At <= view.At).ToList();
                isNew = changes.FirstOrDefault()?.At >= since;
                var lastMove = changes.LastOrDefault(c => c.From is not null);
                moved = lastMove is not null && lastMove.At >= since;
                movedFrom = moved ? lastMove!.From : null;
            }

            measures.Add(new AsOfMeasure(content.Id, content.Title, content.Area, content.Field, content.Departments, content.Status, content.Progress,
                isNew, moved, movedFrom, KpisAsOf(content, view.Date), url(content.Id))
            { Content = content });
        }

        measures = [.. measures
            .OrderBy(m => areaOrder.GetValueOrDefault(m.Area, int.MaxValue))
            .ThenBy(m => statusOrder.GetValueOrDefault(m.Status, int.MaxValue))
            .ThenBy(m => m.Title, StringComparer.CurrentCulture)];
        var counts = radar.Areas.ToDictionary(
            a => a.Id,
            a => radar.Statuses.ToDictionary(s => s.Id, s => measures.Count(m => m.Area == a.Id && m.Status == s.Id), StringComparer.Ordinal),
            StringComparer.Ordinal);
        var totals = new RadarTotals(
            measures.Count,
            radar.Areas.ToDictionary(a => a.Id, a => measures.Count(m => m.Area == a.Id), StringComparer.Ordinal),
            radar.Statuses.ToDictionary(s => s.Id, s => measures.Count(m => m.Status == s.Id), StringComparer.Ordinal),
            measures.Count(m => m.New),
            measures.Count(m => m.Moved));
        return new RadarAsOf(
            radar,
            view,
            Ref(edition),
            Ref(baseline),
            baseline is null ? new RadarWindow(Math.Max(1, windowDays), since) : null,
            measures,
            counts,
            totals,
            [.. effective.AsEnumerable().Reverse().Select(e => Ref(e)!)]);
    }

    /// <summary>What changed from <paramref name="from"/> to <paramref name="to"/> (not after it):
    /// measures added (never on the radar before), removed, restored (back after a removal),
    /// status moves, progress and KPI deltas of measures on the radar at both moments.</summary>
    public static RadarDiff Diff(RadarTimeline timeline, TimePoint from, TimePoint to, DateTimeOffset now, Func<string, string> url)
    {
        var fromView = View(from, now);
        var toView = View(to, now);
        List<DiffMeasure> added = [], removed = [], restored = [];
        List<StatusMove> moves = [];
        List<ProgressDelta> progress = [];
        List<KpiDelta> kpis = [];
        List<Measure> atFrom = [], atTo = [];
        foreach (var measure in timeline.Measures.Values.OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            var before = measure.StateAt(from)?.Measure;
            var after = measure.StateAt(to)?.Measure;
            if (before is not null)
            {
                atFrom.Add(before);
            }

            if (after is not null)
            {
                atTo.Add(after);
            }

            if (before is null && after is not null)
            {
                (measure.WasPresentBy(from) ? restored : added).Add(new DiffMeasure(after.Id, after.Title, after.Area, after.Status, url(after.Id)));
            }
            else if (before is not null && after is null)
            {
                removed.Add(new DiffMeasure(before.Id, before.Title, before.Area, before.Status, url(before.Id)));
            }
            else if (before is not null && after is not null)
            {
                if (before.Status != after.Status)
                {
                    moves.Add(new StatusMove(after.Id, after.Title, after.Area, before.Status, after.Status, url(after.Id)));
                }

                if (before.Progress != after.Progress)
                {
                    progress.Add(new ProgressDelta(after.Id, after.Title, before.Progress, after.Progress, (after.Progress ?? 0) - (before.Progress ?? 0), url(after.Id)));
                }

                kpis.AddRange(KpiDeltas(before, fromView.Date, after, toView.Date, url(after.Id)));
            }
        }

        var radar = StatusPalette.Apply(to.IsLatest ? timeline.Radar : timeline.EditionAt(to)?.Definition ?? timeline.Radar);
        Dictionary<string, int> StatusCounts(List<Measure> at) =>
            radar.Statuses.ToDictionary(s => s.Id, s => at.Count(m => m.Status == s.Id), StringComparer.Ordinal);
        return new RadarDiff(radar, fromView, toView, added, removed, restored, moves, progress, kpis,
            new DiffTotals(atFrom.Count, atTo.Count, added.Count, removed.Count, restored.Count, moves.Count, progress.Count, kpis.Count,
                StatusCounts(atFrom), StatusCounts(atTo)));
    }

    /// <summary>One measure at <paramref name="point"/>: null when it was not recorded yet then.
    /// A measure off the radar then is answered with its last content and <c>Removed</c>.</summary>
    public static MeasureAsOf? Measure(
        RadarTimeline timeline, string measureId, TimePoint point, DateTimeOffset now, RadarSummary radar, string url)
    {
        if (!timeline.Measures.TryGetValue(measureId, out var measure))
        {
            return null;
        }

        var view = View(point, now);
        var states = measure.States.TakeWhile(point.Includes).ToList();
        var last = states.LastOrDefault(s => s.Present)?.Measure;
        if (last is null)
        {
            return null;
        }

        var definition = StatusPalette.Apply(point.IsLatest ? timeline.Radar : timeline.EditionAt(point)?.Definition ?? timeline.Radar);
        var changes = measure.Derived.Changes.Where(c => c.At <= view.At).Reverse().ToList();
        var editions = timeline.Editions.Where(point.Includes).Select(e =>
        {
            var state = measure.StateAt(TimePoint.Of(e))?.Measure;
            return new MeasureEditionStatus(e.Id, e.Title, e.Published, state is not null, state?.Status, state?.Progress);
        }).ToList();
        return new MeasureAsOf(
            radar,
            view,
            last,
            KpisAsOf(last, view.Date),
            definition.Areas.FirstOrDefault(a => a.Id == last.Area) ?? new RadarArea(last.Area, last.Area),
            definition.Statuses.FirstOrDefault(s => s.Id == last.Status) ?? new RadarStatus(last.Status, last.Status),
            !states[^1].Present,
            changes.Count == 0 ? states[0].At : changes[^1].At,
            url,
            changes,
            editions);
    }

    /// <summary>The report of <paramref name="edition"/>: the radar as of it, and against the edition before.</summary>
    public static EditionReport Report(RadarTimeline timeline, Edition edition, DateTimeOffset now, int windowDays, Func<string, string> url)
    {
        var point = TimePoint.Of(edition);
        var previous = timeline.EditionBefore(edition);
        var asOf = AsOf(timeline, point, now, windowDays, url);
        var diff = previous is null ? null : Diff(timeline, TimePoint.Of(previous), point, now, url);
        var before = previous is null ? null : AsOf(timeline, TimePoint.Of(previous), now, windowDays, url);
        var areas = asOf.Radar.Areas.Select(area =>
        {
            var measures = asOf.Measures.Where(m => m.Area == area.Id).Select(m =>
            {
                var timelineOf = timeline.Measures[m.Id];
                var earlier = previous is null ? null : timelineOf.StateAt(TimePoint.Of(previous))?.Measure;
                var fresh = m.Content.Achievements.Where(a => earlier is null || !earlier.Achievements.Contains(a, StringComparer.Ordinal)).ToList();
                var changes = timelineOf.Derived.Changes
                    .Where(c => c.At <= edition.At && (previous is null || c.At > previous.At))
                    .ToList();
                return new ReportMeasure(m, fresh, changes);
            }).ToList();
            var previousStatuses = before is null ? null : asOf.Radar.Statuses.ToDictionary(
                s => s.Id, s => before.Measures.Count(m => m.Area == area.Id && m.Status == s.Id), StringComparer.Ordinal);
            return new AreaReport(area, asOf.Counts[area.Id], previousStatuses, measures);
        }).ToList();
        return new EditionReport(ListItem(edition), Ref(previous), asOf, diff, areas);
    }

    /// <summary>Per KPI name (in the order they first appear), the value with the newest own
    /// <c>asOf</c> not after <paramref name="date"/>; an undated value only when no dated one is due.</summary>
    public static IReadOnlyList<MeasureKpi> KpisAsOf(Measure measure, DateOnly date)
    {
        var result = new List<MeasureKpi>();
        foreach (var series in measure.Kpis.GroupBy(k => k.Name, StringComparer.Ordinal))
        {
            var dated = series.Where(k => k.AsOf is { } at && at <= date).MaxBy(k => k.AsOf);
            if ((dated ?? series.LastOrDefault(k => k.AsOf is null)) is { } pick)
            {
                result.Add(pick);
            }
        }

        return result;
    }

    public static EditionListItem ListItem(Edition edition) =>
        new(edition.Id, edition.Title, edition.Published, edition.At, edition.Introduction, edition.Counts, edition.ImportedAt);

    public static EditionRef? Ref(Edition? edition) => edition is null ? null : new EditionRef(edition.Id, edition.Title, edition.Published);

    private static IEnumerable<KpiDelta> KpiDeltas(Measure before, DateOnly fromDate, Measure after, DateOnly toDate, string url)
    {
        var old = KpisAsOf(before, fromDate).ToDictionary(k => k.Name, StringComparer.Ordinal);
        foreach (var kpi in KpisAsOf(after, toDate))
        {
            old.TryGetValue(kpi.Name, out var was);
            if (was is null || was.Value != kpi.Value || was.AsOf != kpi.AsOf)
            {
                yield return new KpiDelta(after.Id, after.Title, kpi.Name, kpi.Unit ?? was?.Unit, was?.Value, was?.AsOf, kpi.Value, kpi.AsOf,
                    was is null ? null : kpi.Value - was.Value, url);
            }
        }
    }

    private static TimePointView View(TimePoint point, DateTimeOffset now) =>
        point.IsLatest ? new TimePointView(BerlinTime.DateOf(now), now, null) : new TimePointView(point.Date, point.At, point.EditionId);
}
