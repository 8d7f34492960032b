using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Radar.Core.Measures.Timeline;

/// <summary>What a write does to a radar's record: states to add, an edition's states to drop,
/// the edition row to put or delete, and which measures to derive again (null: all).</summary>
internal sealed record TimelineEdit
{
    public IReadOnlyList<TimelineState> Add { get; init; } = [];

    /// <summary>Every stored state of this edition is deleted (a replaced or deleted edition).</summary>
    public string? DropEdition { get; init; }

    /// <summary>Written after the states, so the edition is never visible half-written.</summary>
    public Edition? PutEdition { get; init; }

    /// <summary>Deletes the <see cref="DropEdition"/> row, before its states.</summary>
    public bool DeleteEditionRow { get; init; }

    /// <summary>Measures to derive again; null: every measure of the radar (and the counts of
    /// every edition and of the first import).</summary>
    public IReadOnlySet<string>? Touched { get; init; }
}

/// <summary>What a write changed: per measure the state and each new (or rewritten) change,
/// the ids of changes that no longer exist, and the derivation of the touched measures.</summary>
internal sealed record TimelineCommit(
    IReadOnlyList<MeasureWrite> Writes,
    IReadOnlyList<MeasureChange> NewChanges,
    IReadOnlyList<string> RemovedChangeIds,
    IReadOnlyList<Edition> Editions,
    IReadOnlyDictionary<string, DerivedMeasure> Derived);

/// <summary>
/// Writes timeline states and keeps the derived rows (<c>m|</c>, <c>c|</c>, <c>h|</c>, the
/// editions' counts, the first import) equal to what the states derive to: reads what is stored
/// for the measures concerned, derives in memory (<see cref="MeasureTimeline.Derive"/>), and writes
/// only the rows that differ — each measure's rows in one transaction guarded by its <c>m|</c>
/// ETag. Callers hold the <c>measures</c> lease and retry on <see cref="MeasureConcurrencyException"/>.
/// </summary>
internal sealed class TimelineWriter(MeasureStore store, EditionStore editionStore, ILogger<TimelineWriter> logger)
{
    /// <summary>Above this many touched measures, whole ranges are read instead of one measure at a time.</summary>
    private const int PointReadLimit = 25;

    public async Task<TimelineCommit> CommitAsync(string radarId, TimelineEdit edit, CancellationToken cancellationToken)
    {
        var editions = (await editionStore.ListAsync(radarId, cancellationToken)).ToList();
        if (edit.DeleteEditionRow && edit.DropEdition is { } deleted)
        {
            await editionStore.DeleteAsync(radarId, deleted, cancellationToken);
        }

        var after = editions.Where(e => e.Id != edit.DropEdition && e.Id != edit.PutEdition?.Id).ToList();
        if (edit.PutEdition is { } put)
        {
            after.Add(put);
        }

        after.Sort(Edition.Compare);
        var full = edit.Touched is null;
        var (stored, current, history) = await LoadAsync(radarId, edit.Touched, cancellationToken);
        // A whole derivation also compares with the change rows themselves (a repair finds a
        // lost one); otherwise their keys follow from the history rows.
        var changeRows = full
            ? (await store.GetLatestChangesAsync(radarId, int.MaxValue, cancellationToken)).GroupBy(c => c.MeasureId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<MeasureChange>)[.. g], StringComparer.Ordinal)
            : null;

        var added = edit.Add.ToDictionary(MeasureStore.StateKey, StringComparer.Ordinal);
        var listed = after.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var drop = stored.Where(s => (s.EditionId is { } e && (e == edit.DropEdition || (full && !listed.Contains(e)))) && !added.ContainsKey(MeasureStore.StateKey(s)))
            .ToList();
        var dropKeys = drop.Select(MeasureStore.StateKey).ToHashSet(StringComparer.Ordinal);
        var states = stored.Where(s => !dropKeys.Contains(MeasureStore.StateKey(s)) && !added.ContainsKey(MeasureStore.StateKey(s)))
            .Concat(edit.Add)
            .GroupBy(s => s.MeasureId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var historyById = history.GroupBy(c => c.MeasureId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var ids = full
            ? states.Keys.Concat(current.Keys).Concat(historyById.Keys).Concat(changeRows!.Keys).Concat(drop.Select(s => s.MeasureId)).ToHashSet(StringComparer.Ordinal)
            : edit.Touched!;

        var groups = new List<IReadOnlyList<RowOp>>();
        var groupMeasures = new List<string>();
        var writes = new List<MeasureWrite>();
        var newChanges = new List<MeasureChange>();
        var removedIds = new List<string>();
        var derived = new Dictionary<string, DerivedMeasure>(StringComparer.Ordinal);
        var timelines = new Dictionary<string, MeasureTimeline>(StringComparer.Ordinal);
        foreach (var id in ids.Order(StringComparer.Ordinal))
        {
            var timeline = RadarTimeline.StatesOf(id, states.GetValueOrDefault(id) ?? [], after);
            timelines[id] = new MeasureTimeline(radarId, id, timeline);
            var result = timelines[id].Derived;
            derived[id] = result;
            var ops = new List<RowOp>();
            foreach (var add in edit.Add.Where(s => s.MeasureId == id))
            {
                // An observation is new by its time: adding it twice is another writer's doing.
                // An edition's state is the edition's content: writing it again is harmless.
                ops.Add(new RowOp(add.IsObservation ? TableTransactionActionType.Add : TableTransactionActionType.UpsertReplace,
                    MeasureStore.ToEntity(radarId, add)));
            }

            foreach (var dropped in drop.Where(s => s.MeasureId == id))
            {
                ops.Add(new RowOp(TableTransactionActionType.Delete, new TableEntity(radarId, MeasureStore.StateKey(dropped)), Azure.ETag.All));
            }

            var before = historyById.GetValueOrDefault(id) ?? [];
            var rows = changeRows is null ? before : changeRows.GetValueOrDefault(id) ?? [];
            var (changeOps, fresh, gone) = ChangeOps(radarId, before, rows, result.Changes);
            ops.AddRange(changeOps);
            current.TryGetValue(id, out var existing);
            var measureOp = MeasureOp(existing, result.Current, guard: ops.Count > 0);
            if (measureOp is not null)
            {
                ops.Insert(0, measureOp);
            }

            if (ops.Count == 0)
            {
                continue;
            }

            groups.Add(ops);
            groupMeasures.Add(id);
            newChanges.AddRange(fresh);
            removedIds.AddRange(gone);
            var state = result.Current ?? (existing is null ? null : existing with { Removed = true, RemovedAt = existing.RemovedAt ?? existing.ChangedAt });
            if (state is not null && (fresh.Count > 0 || measureOp is not null))
            {
                writes.AddRange(fresh.Count == 0 ? [new MeasureWrite(existing, state, null)] : fresh.Select(c => new MeasureWrite(existing, state, c)));
            }
        }

        if (groups.Count > 0 || edit.PutEdition is not null || edit.DropEdition is not null)
        {
            // Bumped before and after: a reader that caches the timeline and reads while this
            // writes keys what it read to the first version, never to the final one.
            await store.SetTimelineAsync(radarId, NewVersion(), null, null, setFirstImport: false, cancellationToken);
            try
            {
                await store.SubmitAsync(radarId, groups, cancellationToken);
            }
            catch (MeasureConcurrencyException ex)
            {
                throw new MeasureConcurrencyException(ex.Message, ex.InnerException!)
                {
                    CommittedGroups = ex.CommittedGroups,
                    CommittedMeasures = [.. groupMeasures.Take(ex.CommittedGroups)],
                };
            }
        }

        if (edit.PutEdition is { } edition)
        {
            var complete = full ? edition with { Counts = CountsOf(edition, derived.Values), OnRadar = OnRadarAt(edition, timelines.Values) } : edition;
            await editionStore.PutAsync(complete, cancellationToken);
            after[after.FindIndex(e => e.Id == edition.Id)] = complete;
        }

        FirstImportRecord? firstImport = null;
        if (full)
        {
            for (var i = 0; i < after.Count; i++)
            {
                var other = after[i];
                if (other.Id == edit.PutEdition?.Id)
                {
                    continue;
                }

                var counts = CountsOf(other, derived.Values);
                var onRadar = OnRadarAt(other, timelines.Values);
                if (counts != other.Counts || other.OnRadar is null || !SameMap(onRadar, other.OnRadar))
                {
                    await editionStore.SetDerivedAsync(radarId, other.Id, counts, onRadar, cancellationToken);
                    after[i] = other with { Counts = counts, OnRadar = onRadar };
                }
            }

            firstImport = FirstImportOf(states.Values.SelectMany(s => s), derived.Values);
        }

        if (groups.Count > 0 || full)
        {
            var record = full ? await store.GetRadarRecordAsync(radarId, cancellationToken) : null;
            var setFirst = full && record?.FirstImport != firstImport;
            if (groups.Count > 0 || setFirst)
            {
                await store.SetTimelineAsync(radarId, NewVersion(), null, firstImport, setFirst, cancellationToken);
            }
        }

        if (groups.Count > 0)
        {
            logger.LogInformation("Radar {Radar}: wrote {Measures} measures' rows, {Changes} new or rewritten changes, {Removed} changes gone",
                radarId, groups.Count, newChanges.Count, removedIds.Count);
        }

        return new TimelineCommit(writes, newChanges, removedIds, after, derived);
    }

    /// <summary>
    /// Keeps history written before editions existed (a chain of changes numbered by sequence):
    /// once per radar, its changes become observation states that remember the ids they were
    /// published with, so every published id stays. Idempotent: the states are written again
    /// unchanged, and the radar is marked migrated only at the end.
    /// </summary>
    public async Task<bool> EnsureMigratedAsync(string radarId, CancellationToken cancellationToken)
    {
        var record = await store.GetRadarRecordAsync(radarId, cancellationToken);
        if (record is null || record.Schema >= MeasureStore.CurrentSchema)
        {
            return false;
        }

        var history = await store.ListHistoryAsync(radarId, cancellationToken);
        if (history.Count > 0)
        {
            var states = LegacyHistory.ToStates(history);
            var groups = states.GroupBy(s => s.MeasureId, StringComparer.Ordinal)
                .Select(g => (IReadOnlyList<RowOp>)[.. g.Select(s => new RowOp(TableTransactionActionType.UpsertReplace, MeasureStore.ToEntity(radarId, s)))])
                .ToList();
            await store.SubmitAsync(radarId, groups, cancellationToken);
            var commit = await CommitAsync(radarId, new TimelineEdit(), cancellationToken);
            logger.LogInformation("Radar {Radar}: migrated {Changes} changes of {Measures} measures to timeline states ({Rewritten} derived rows differed)",
                radarId, history.Count, groups.Count, commit.NewChanges.Count);
        }

        await store.SetTimelineAsync(radarId, NewVersion(), MeasureStore.CurrentSchema, null, setFirstImport: false, cancellationToken);
        return true;
    }

    private async Task<(List<TimelineState> States, Dictionary<string, StoredMeasure> Current, List<MeasureChange> History)> LoadAsync(
        string radarId, IReadOnlySet<string>? touched, CancellationToken cancellationToken)
    {
        if (touched is null || touched.Count > PointReadLimit)
        {
            var statesTask = store.ListStatesAsync(radarId, null, cancellationToken);
            var currentTask = store.ListMeasuresAsync(radarId, cancellationToken);
            var historyTask = store.ListHistoryAsync(radarId, cancellationToken);
            var all = await statesTask;
            var measures = await currentTask;
            var history = await historyTask;
            return touched is null
                ? ([.. all], measures.ToDictionary(m => m.Measure.Id, StringComparer.Ordinal), [.. history])
                : ([.. all.Where(s => touched.Contains(s.MeasureId))],
                   measures.Where(m => touched.Contains(m.Measure.Id)).ToDictionary(m => m.Measure.Id, StringComparer.Ordinal),
                   [.. history.Where(c => touched.Contains(c.MeasureId))]);
        }

        var reads = await Task.WhenAll(touched.Select(async id =>
            (States: await store.ListStatesAsync(radarId, id, cancellationToken),
             Current: await store.GetMeasureAsync(radarId, id, cancellationToken),
             History: await store.GetHistoryAsync(radarId, id, cancellationToken))));
        return ([.. reads.SelectMany(r => r.States)],
            reads.Where(r => r.Current is not null).ToDictionary(r => r.Current!.Measure.Id, r => r.Current!, StringComparer.Ordinal),
            [.. reads.SelectMany(r => r.History)]);
    }

    /// <summary>Row operations that turn the stored change rows of one measure (<c>h|</c> rows in
    /// <paramref name="before"/>, <c>c|</c> rows in <paramref name="rows"/>) into the derived ones:
    /// changes that are new or differ, and changes that no longer exist.</summary>
    private static (List<RowOp> Ops, List<MeasureChange> Fresh, List<string> Gone) ChangeOps(
        string radarId, IReadOnlyList<MeasureChange> before, IReadOnlyList<MeasureChange> rows, IReadOnlyList<MeasureChange> desired)
    {
        var ops = new List<RowOp>();
        var fresh = new List<MeasureChange>();
        var beforeByKey = before.GroupBy(MeasureStore.HistoryKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var beforeById = before.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Text(g.First()), StringComparer.Ordinal);
        var rowsByKey = rows.GroupBy(MeasureStore.ChangeKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Text(g.First()), StringComparer.Ordinal);
        var desiredHistoryKeys = desired.Select(MeasureStore.HistoryKey).ToHashSet(StringComparer.Ordinal);
        var desiredChangeKeys = desired.Select(MeasureStore.ChangeKey).ToHashSet(StringComparer.Ordinal);
        foreach (var change in desired)
        {
            var text = Text(change);
            var historyKey = MeasureStore.HistoryKey(change);
            var changeKey = MeasureStore.ChangeKey(change);
            if (!(beforeByKey.TryGetValue(historyKey, out var old) && Text(old) == text))
            {
                ops.Add(new RowOp(TableTransactionActionType.UpsertReplace, MeasureStore.ToEntity(change, historyKey)));
            }

            if (!(rowsByKey.TryGetValue(changeKey, out var row) && row == text))
            {
                ops.Add(new RowOp(TableTransactionActionType.UpsertReplace, MeasureStore.ToEntity(change, changeKey)));
            }

            if (!beforeById.TryGetValue(change.Id, out var was) || was != text)
            {
                fresh.Add(change);
            }
        }

        foreach (var key in beforeByKey.Keys.Where(k => !desiredHistoryKeys.Contains(k)))
        {
            ops.Add(new RowOp(TableTransactionActionType.Delete, new TableEntity(radarId, key), Azure.ETag.All));
        }

        foreach (var key in rowsByKey.Keys.Where(k => !desiredChangeKeys.Contains(k)))
        {
            ops.Add(new RowOp(TableTransactionActionType.Delete, new TableEntity(radarId, key), Azure.ETag.All));
        }

        var desiredIds = desired.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        return (ops, fresh, [.. before.Select(c => c.Id).Distinct(StringComparer.Ordinal).Where(id => !desiredIds.Contains(id))]);
    }

    /// <summary>The <c>m|</c> row: added, replaced under its ETag, or deleted; also rewritten
    /// unchanged when other rows of the measure are written, as the guard of their transaction.</summary>
    private static RowOp? MeasureOp(StoredMeasure? existing, StoredMeasure? desired, bool guard)
    {
        if (desired is null)
        {
            return existing is null ? null : new RowOp(TableTransactionActionType.Delete, new TableEntity(existing.RadarId, MeasureStore.MeasureKey(existing.Measure.Id)), existing.ETag);
        }

        if (existing is null)
        {
            return new RowOp(TableTransactionActionType.Add, MeasureStore.ToEntity(desired));
        }

        return guard || !Same(existing, desired)
            ? new RowOp(TableTransactionActionType.UpdateReplace, MeasureStore.ToEntity(desired), existing.ETag)
            : null;
    }

    private static bool Same(StoredMeasure a, StoredMeasure b) =>
        MeasureJson.Canonical(a.Measure) == MeasureJson.Canonical(b.Measure) &&
        (a.Removed, a.CreatedAt, a.ChangedAt, a.StatusChangedAt, a.RemovedAt, a.Version, a.SourceId, a.LastStateAt) ==
        (b.Removed, b.CreatedAt, b.ChangedAt, b.StatusChangedAt, b.RemovedAt, b.Version, b.SourceId, b.LastStateAt);

    private static string Text(MeasureChange change) => JsonSerializer.Serialize(change, MeasureJson.Options);

    private static EditionCounts CountsOf(Edition edition, IEnumerable<DerivedMeasure> derived) =>
        EditionCounts.From(edition.Members.Count, derived.SelectMany(d => d.Changes).Where(c => c.EditionId == edition.Id));

    /// <summary>What was on the radar as of <paramref name="edition"/>, by the derived timelines.</summary>
    private static Dictionary<string, string> OnRadarAt(Edition edition, IEnumerable<MeasureTimeline> timelines)
    {
        var point = TimePoint.Of(edition);
        var onRadar = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var timeline in timelines)
        {
            if (timeline.StateAt(point)?.Measure is { } measure)
            {
                onRadar[timeline.Id] = measure.Status;
            }
        }

        return onRadar;
    }

    private static bool SameMap(Dictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    private static FirstImportRecord? FirstImportOf(IEnumerable<TimelineState> states, IEnumerable<DerivedMeasure> derived)
    {
        var first = states.Where(s => s.FirstImport).ToList();
        var changes = derived.SelectMany(d => d.Changes).Where(c => c.FirstImport).ToList();
        if (first.Count == 0 || changes.Count == 0)
        {
            return null;
        }

        return new FirstImportRecord(first.Min(s => s.At), first[0].SourceId, EditionCounts.From(first.Count(s => s.Present), changes));
    }

    private static string NewVersion() => Guid.NewGuid().ToString("N");
}
