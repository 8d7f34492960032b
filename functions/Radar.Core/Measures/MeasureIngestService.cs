using Microsoft.Extensions.Logging;
using Radar.Core.Ingest;
using Radar.Core.Sources;

namespace Radar.Core.Measures;

/// <summary>
/// Ingests every measure source: fetch (through the shared <see cref="SourceRunner"/>), read,
/// validate, compare with what is stored, write the new states and their changes. One source's
/// failure never touches the measures stored from it, nor stops the other sources. One run at a
/// time anywhere (the <c>measures</c> <see cref="IngestLease"/>); should two writers still meet
/// (a lease lost mid-run), the optimistic concurrency of <see cref="MeasureStore.ApplyAsync"/>
/// keeps the history right.
/// </summary>
public sealed class MeasureIngestService(
    SourceStore sources,
    SourceRunner runner,
    SourceFetcher fetcher,
    MeasureStore store,
    IngestLease lease,
    TimeProvider clock,
    ILogger<MeasureIngestService> logger,
    IEnumerable<IMeasureChangeListener> listeners)
{
    /// <summary>The kind of ingest the lease is held for.</summary>
    public const string LeaseKind = "measures";

    private const int MaxAttempts = 3;

    /// <summary>Runs the ingest, unless one is already running somewhere: then the report says
    /// where and since when (<see cref="IngestReport{TSource}.AlreadyRunning"/>) and nothing is fetched.</summary>
    public async Task<MeasureIngestReport> RunAsync(SourceRunMode mode, CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        await using var run = await lease.TryAcquireAsync(LeaseKind, cancellationToken);
        if (!run.Acquired)
        {
            logger.LogInformation("Measures ingest not started: already running on {Owner} since {Since}", run.Holder.Owner, run.Holder.Since);
            return new MeasureIngestReport(startedAt, clock.GetUtcNow(), SourceRunModes.Name(mode), []) { AlreadyRunning = run.Holder };
        }

        return await IngestAsync(mode, run.CancellationToken);
    }

    /// <summary>The ingest itself, without the lease (tests race two of them on purpose).</summary>
    internal async Task<MeasureIngestReport> IngestAsync(SourceRunMode mode, CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        var measureSources = await sources.SyncAndListAsync(SourceKinds.IsMeasures, cancellationToken);

        var reports = new List<MeasureSourceReport>();
        var written = new RunWrites();
        foreach (var source in measureSources)
        {
            var run = await runner.RunAsync(source, mode, (fetched, ct) => ProcessAsync(source, fetched, written, ct), cancellationToken);
            var report = run.Result ?? new MeasureSourceReport
            {
                Source = source.Id,
                Url = source.Url,
                Kind = source.Kind,
                Radar = source.Radar,
                Outcome = run.Outcome,
            };
            reports.Add(report with { Outcome = run.Outcome, Error = run.Error, NextAttempt = run.NextAttempt });
            logger.LogInformation(
                "Measures source {Source}: {Outcome}; read {Read}, created {Created}, updated {Updated}, status changed {StatusChanged}, " +
                "removed {Removed}, restored {Restored}, unchanged {Unchanged}, skipped {Skipped}{Error}",
                source.Id, run.Outcome, report.Read, report.Created, report.Updated, report.StatusChanged, report.Removed, report.Restored,
                report.Unchanged, report.Skipped.Count, run.Error is null ? "" : $"; {run.Error}");
        }

        await NotifyAsync(new MeasureWriteSet(written.Radars, written.Incomplete), cancellationToken);
        return new MeasureIngestReport(startedAt, clock.GetUtcNow(), SourceRunModes.Name(mode), reports);
    }

    private async Task NotifyAsync(MeasureWriteSet written, CancellationToken cancellationToken)
    {
        if (written.IsEmpty)
        {
            return;
        }

        foreach (var listener in listeners)
        {
            try
            {
                await listener.MeasuresChangedAsync(written, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // What listeners derive (the search index) is rebuilt from the tables; the ingest stands.
                logger.LogError(ex, "Measures change listener {Listener} failed", listener.GetType().Name);
            }
        }
    }

    private async Task<MeasureSourceReport> ProcessAsync(Source source, FetchResult fetched, RunWrites written, CancellationToken cancellationToken)
    {
        MeasureSourceContent content;
        if (source.Kind == SourceKinds.MeasuresCsv)
        {
            var definition = await LoadDefinitionAsync(source, cancellationToken);
            content = CsvMeasureReader.Read(fetched.Content, definition);
        }
        else
        {
            content = JsonMeasureReader.Read(fetched.Content);
            if (source.Radar is { } expected && expected != content.Radar.Id)
            {
                throw new SourceContentException(
                    $"The file describes radar '{content.Radar.Id}', but the source is set up for radar '{expected}'.");
            }
        }

        await store.SaveRadarAsync(content.Radar, source.Id, clock.GetUtcNow(), cancellationToken);
        var (counts, writes) = await ApplyAsync(source, content, written, cancellationToken);
        written.Radars.Add(new RadarMeasureWrites(content.Radar, writes));
        return counts with
        {
            Source = source.Id,
            Url = source.Url,
            Kind = source.Kind,
            Radar = content.Radar.Id,
            Read = content.Read,
            Skipped = content.Skipped,
        };
    }

    private async Task<RadarDefinition> LoadDefinitionAsync(Source source, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(source.Definition))
        {
            throw new SourceContentException("A CSV source needs a radar definition (setting __Definition).");
        }

        var fetched = await fetcher.FetchAsync(source.Definition, SourceKinds.MeasuresJson, source.Origin, null, null, cancellationToken);
        if (fetched.Status != FetchStatus.Fetched)
        {
            throw new SourceContentException($"Radar definition {source.Definition}: {fetched.Error}");
        }

        RadarDefinition definition;
        try
        {
            definition = JsonMeasureReader.ReadDefinition(fetched.Content);
        }
        catch (SourceContentException ex)
        {
            throw new SourceContentException($"Radar definition {source.Definition}: {ex.Message}");
        }

        if (source.Radar is { } expected && expected != definition.Id)
        {
            throw new SourceContentException($"The radar definition describes radar '{definition.Id}', but the source is set up for radar '{expected}'.");
        }

        return definition;
    }

    /// <summary>Compares and writes, re-reading and comparing again if another writer got in
    /// between: what is written is always computed from what was really stored. Batches an
    /// attempt committed before its conflict stay written; the report counts them as what they
    /// were, not as "unchanged", which is how the next comparison sees them.</summary>
    private async Task<(MeasureSourceReport Report, List<MeasureWrite> Writes)> ApplyAsync(
        Source source, MeasureSourceContent content, RunWrites written, CancellationToken cancellationToken)
    {
        var committed = new List<MeasureWrite>();
        for (var attempt = 1; ; attempt++)
        {
            var stored = await store.ListMeasuresAsync(content.Radar.Id, cancellationToken);
            var (writes, report) = Plan(source, content, stored, clock.GetUtcNow());
            try
            {
                await store.ApplyAsync(content.Radar.Id, writes, cancellationToken);
                return (Credit(report, committed, writes), [.. committed, .. writes]);
            }
            catch (MeasureConcurrencyException ex) when (attempt < MaxAttempts)
            {
                committed.AddRange(ex.Committed);
                // Another writer got in between: the index is rebuilt rather than trusted to
                // have been told everything in the right order.
                written.Incomplete = true;
                logger.LogWarning("Source {Source}: {Message} Comparing again (attempt {Attempt}).", source.Id, ex.Message, attempt + 1);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Batches written before the failure stay written: listeners cannot be told which.
                written.Incomplete = true;
                throw;
            }
        }
    }

    /// <summary>The final attempt's report plus the writes earlier attempts of this run committed:
    /// each counts as what it did, and no longer as "unchanged" where the final comparison met it
    /// as already written.</summary>
    internal static MeasureSourceReport Credit(MeasureSourceReport report, IReadOnlyList<MeasureWrite> committed, IReadOnlyList<MeasureWrite> final)
    {
        if (committed.Count == 0)
        {
            return report;
        }

        var rewritten = final.Where(w => w.Change is not null).Select(w => w.State.Measure.Id).ToHashSet(StringComparer.Ordinal);
        int created = 0, updated = 0, statusChanged = 0, removed = 0, restored = 0, unchanged = 0;
        foreach (var write in committed)
        {
            switch (write.Change?.Kind)
            {
                case ChangeKinds.Created: created++; break;
                case ChangeKinds.Updated: updated++; break;
                case ChangeKinds.StatusChanged: statusChanged++; break;
                case ChangeKinds.Removed: removed++; break;
                case ChangeKinds.Restored: restored++; break;
                default: continue; // moved to this source, no change: it was and is "unchanged"
            }

            if (write.Change.Kind != ChangeKinds.Removed && !rewritten.Contains(write.State.Measure.Id))
            {
                unchanged++;
            }
        }

        return report with
        {
            Created = report.Created + created,
            Updated = report.Updated + updated,
            StatusChanged = report.StatusChanged + statusChanged,
            Removed = report.Removed + removed,
            Restored = report.Restored + restored,
            Unchanged = Math.Max(0, report.Unchanged - unchanged),
        };
    }

    internal static (List<MeasureWrite> Writes, MeasureSourceReport Report) Plan(
        Source source, MeasureSourceContent content, IReadOnlyList<StoredMeasure> stored, DateTimeOffset now)
    {
        var radarId = content.Radar.Id;
        var byId = stored.ToDictionary(s => s.Measure.Id, StringComparer.Ordinal);
        var writes = new List<MeasureWrite>();
        int created = 0, updated = 0, statusChanged = 0, removed = 0, restored = 0, unchanged = 0;

        MeasureChange Change(Measure measure, int sequence, string kind, FieldChange[] fields, string? from = null, string? to = null) => new()
        {
            Id = MeasureChange.MakeId(radarId, measure.Id, sequence),
            RadarId = radarId,
            MeasureId = measure.Id,
            Sequence = sequence,
            Kind = kind,
            At = now,
            Title = measure.Title,
            Area = measure.Area,
            Status = measure.Status,
            From = from,
            To = to,
            Fields = fields,
            SourceId = source.Id,
        };

        foreach (var measure in content.Measures)
        {
            if (!byId.TryGetValue(measure.Id, out var existing))
            {
                var state = new StoredMeasure
                {
                    RadarId = radarId,
                    Measure = measure,
                    CreatedAt = now,
                    ChangedAt = now,
                    Version = 1,
                    SourceId = source.Id,
                };
                writes.Add(new MeasureWrite(null, state, Change(measure, 1, ChangeKinds.Created, MeasureDiff.Compare(null, measure))));
                created++;
                continue;
            }

            var fields = MeasureDiff.Compare(existing.Measure, measure);
            var newStatus = existing.Measure.Status != measure.Status;
            if (existing.Removed)
            {
                var state = existing with
                {
                    Measure = measure,
                    Removed = false,
                    RemovedAt = null,
                    ChangedAt = now,
                    StatusChangedAt = newStatus ? now : existing.StatusChangedAt,
                    Version = existing.Version + 1,
                    SourceId = source.Id,
                };
                writes.Add(new MeasureWrite(existing, state, Change(measure, state.Version, ChangeKinds.Restored, fields,
                    newStatus ? existing.Measure.Status : null, newStatus ? measure.Status : null)));
                restored++;
                continue;
            }

            if (fields.Length == 0)
            {
                if (existing.SourceId != source.Id)
                {
                    // Moved to this source with the same content: no change to tell anyone about.
                    writes.Add(new MeasureWrite(existing, existing with { SourceId = source.Id }, null));
                }

                unchanged++;
                continue;
            }

            var next = existing with
            {
                Measure = measure,
                ChangedAt = now,
                StatusChangedAt = newStatus ? now : existing.StatusChangedAt,
                Version = existing.Version + 1,
                SourceId = source.Id,
            };
            writes.Add(newStatus
                ? new MeasureWrite(existing, next, Change(measure, next.Version, ChangeKinds.StatusChanged, fields, existing.Measure.Status, measure.Status))
                : new MeasureWrite(existing, next, Change(measure, next.Version, ChangeKinds.Updated, fields)));
            if (newStatus)
            {
                statusChanged++;
            }
            else
            {
                updated++;
            }
        }

        var present = content.Measures.Select(m => m.Id).Concat(content.KeptIds).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in stored.Where(s => !s.Removed && s.SourceId == source.Id && !present.Contains(s.Measure.Id)))
        {
            var state = gone with { Removed = true, RemovedAt = now, ChangedAt = now, Version = gone.Version + 1 };
            writes.Add(new MeasureWrite(gone, state, Change(gone.Measure, state.Version, ChangeKinds.Removed, [])));
            removed++;
        }

        var report = new MeasureSourceReport
        {
            Source = source.Id,
            Url = source.Url,
            Kind = source.Kind,
            Outcome = SourceOutcomes.Ingested,
            Created = created,
            Updated = updated,
            StatusChanged = statusChanged,
            Removed = removed,
            Restored = restored,
            Unchanged = unchanged,
        };
        return (writes, report);
    }


    /// <summary>What a run wrote, source by source, for the listeners.</summary>
    private sealed class RunWrites
    {
        public List<RadarMeasureWrites> Radars { get; } = [];

        public bool Incomplete { get; set; }
    }
}
