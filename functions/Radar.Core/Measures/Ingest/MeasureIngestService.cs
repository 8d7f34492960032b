using Microsoft.Extensions.Logging;
using Radar.Core.Ingest;
using Radar.Core.Measures.Timeline;
using Radar.Core.Sources;

namespace Radar.Core.Measures.Ingest;

/// <summary>
/// Ingests every measure source: fetch (through the shared <see cref="SourceRunner"/>), read,
/// validate, claim the radar (one owner per radar, <see cref="RadarOwnership"/>), import the
/// source's editions (its content's own, and its <c>Editions</c> list), record what differs from
/// the current state as observations, derive the changes. One source's failure never touches the
/// measures stored from it, nor stops the other sources. One run at a time anywhere (the
/// <c>measures</c> <see cref="IngestLease"/>); should two writers still meet (a lease lost
/// mid-run), the optimistic concurrency of the timeline writes keeps the history right.
/// </summary>
public sealed class MeasureIngestService
{
    private const int MaxAttempts = 3;

    private readonly SourceStore _sources;
    private readonly SourceRunner _runner;
    private readonly SourceFetcher _fetcher;
    private readonly MeasureStore _store;
    private readonly EditionStore _editions;
    private readonly IngestLease _lease;
    private readonly TimeProvider _clock;
    private readonly ILogger<MeasureIngestService> _logger;
    private readonly TimelineWriter _writer;
    private readonly EditionImporter _importer;
    private readonly RadarOwnership _ownership;
    private readonly MeasureChangeNotifier _notifier;

    public MeasureIngestService(
        SourceStore sources,
        SourceRunner runner,
        SourceFetcher fetcher,
        MeasureStore store,
        EditionStore editions,
        IngestLease lease,
        TimeProvider clock,
        ILoggerFactory loggers,
        IEnumerable<IMeasureChangeListener> listeners)
    {
        _sources = sources;
        _runner = runner;
        _fetcher = fetcher;
        _store = store;
        _editions = editions;
        _lease = lease;
        _clock = clock;
        _logger = loggers.CreateLogger<MeasureIngestService>();
        _writer = new TimelineWriter(store, editions, loggers.CreateLogger<TimelineWriter>());
        _importer = new EditionImporter(editions, _writer, clock, loggers.CreateLogger<EditionImporter>());
        _ownership = new RadarOwnership(store, clock, loggers.CreateLogger<RadarOwnership>());
        _notifier = new MeasureChangeNotifier(listeners, loggers.CreateLogger<MeasureChangeNotifier>());
    }

    /// <summary>Runs the ingest, unless one is already running somewhere: then the report says
    /// where and since when (<see cref="IngestReport{TSource}.AlreadyRunning"/>) and nothing is fetched.</summary>
    public async Task<MeasureIngestReport> RunAsync(SourceRunMode mode, CancellationToken cancellationToken)
    {
        var startedAt = _clock.GetUtcNow();
        await using var run = await _lease.TryAcquireAsync(MeasureStore.LeaseKind, cancellationToken);
        if (!run.Acquired)
        {
            _logger.LogInformation("Measures ingest not started: already running on {Owner} since {Since}", run.Holder.Owner, run.Holder.Since);
            return new MeasureIngestReport(startedAt, _clock.GetUtcNow(), SourceRunModes.Name(mode), []) { AlreadyRunning = run.Holder };
        }

        return await IngestAsync(mode, run.CancellationToken);
    }

    /// <summary>The ingest itself, without the lease (tests race two of them on purpose).</summary>
    internal async Task<MeasureIngestReport> IngestAsync(SourceRunMode mode, CancellationToken cancellationToken)
    {
        var startedAt = _clock.GetUtcNow();
        var measureSources = await _sources.SyncAndListAsync(SourceKinds.IsMeasures, cancellationToken);

        // History written before editions existed becomes timeline states, once per radar,
        // whether or not its source has anything new.
        foreach (var radar in await _store.ListRadarRecordsAsync(cancellationToken))
        {
            if (radar.Schema < MeasureStore.CurrentSchema)
            {
                await _writer.EnsureMigratedAsync(radar.Id, cancellationToken);
            }
        }

        var reports = new List<MeasureSourceReport>();
        var written = new RunWrites();
        if (mode == SourceRunMode.Full)
        {
            // A full run also repairs, first, so that sources are compared with what is right:
            // every radar's derived rows are compared with what its states derive to (nothing
            // is written when they agree).
            foreach (var radar in await _store.ListRadarRecordsAsync(cancellationToken))
            {
                var commit = await _writer.CommitAsync(radar.Id, new TimelineEdit(), cancellationToken);
                written.Add(radar.Definition!, commit);
            }
        }

        foreach (var source in measureSources)
        {
            var run = await _runner.RunAsync(source, mode, (fetched, ct) => ProcessAsync(source, measureSources, fetched, mode, written, ct), cancellationToken);
            var report = run.Result ?? new MeasureSourceReport
            {
                Source = source.Id,
                Url = source.Url,
                Kind = source.Kind,
                Radar = source.Radar,
                Outcome = run.Outcome,
            };
            if (run.Outcome == SourceOutcomes.NotModified && source.Editions.Count > 0 && await OwnedRadarAsync(source, cancellationToken) is { } owned)
            {
                // The content has not changed, but the list of past editions may have.
                report = report with { Radar = owned, Editions = await ImportEditionListAsync(source, owned, mode, written, cancellationToken) };
            }

            reports.Add(report with { Outcome = run.Outcome, Error = run.Error, NextAttempt = run.NextAttempt });
            _logger.LogInformation(
                "Measures source {Source}: {Outcome}{Edition}; read {Read}, created {Created}, updated {Updated}, status changed {StatusChanged}, " +
                "removed {Removed}, restored {Restored}, unchanged {Unchanged}, skipped {Skipped}{Error}",
                source.Id, run.Outcome, report.Edition is null ? "" : $" (edition {report.Edition}: {report.EditionOutcome})", report.Read, report.Created,
                report.Updated, report.StatusChanged, report.Removed, report.Restored, report.Unchanged, report.Skipped.Count, run.Error is null ? "" : $"; {run.Error}");
        }

        await _notifier.NotifyAsync(new MeasureWriteSet(written.Radars, written.Incomplete), cancellationToken);
        return new MeasureIngestReport(startedAt, _clock.GetUtcNow(), SourceRunModes.Name(mode), reports);
    }

    private async Task<MeasureSourceReport> ProcessAsync(
        Source source, IReadOnlyList<Source> measureSources, FetchResult fetched, SourceRunMode mode, RunWrites written, CancellationToken cancellationToken)
    {
        MeasureSourceContent content;
        if (source.Kind == SourceKinds.MeasuresCsv)
        {
            var definition = await LoadDefinitionAsync(source, cancellationToken);
            content = CsvMeasureReader.Read(fetched.Content, definition) with { Edition = SettingsEdition(source, definition) };
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

        var now = _clock.GetUtcNow();
        if (content.Edition is { } named && named.Published > BerlinTime.DateOf(now))
        {
            throw new SourceContentException(
                $"The content is edition '{named.Id}', published {BerlinTime.Format(named.Published)}: after today. Nothing was stored.");
        }

        var radarId = content.Radar.Id;
        var stored = await _store.ListMeasuresAsync(radarId, cancellationToken);
        var claim = await _ownership.ClaimAsync(source, content.Radar, measureSources, stored, cancellationToken);
        await _writer.EnsureMigratedAsync(radarId, cancellationToken);
        var editionReports = source.Editions.Count > 0 ? await ImportEditionListAsync(source, radarId, mode, written, cancellationToken) : [];

        var report = new MeasureSourceReport
        {
            Source = source.Id,
            Url = source.Url,
            Kind = source.Kind,
            Outcome = SourceOutcomes.Ingested,
            Radar = radarId,
            Read = content.Read,
            Skipped = content.Skipped,
            Editions = editionReports,
        };

        var current = true;
        if (content.Edition is not null)
        {
            var (editionReport, isCurrent) = await IngestEditionAsync(source, content, claim, written, cancellationToken);
            report = editionReport with { Editions = editionReports };
            current = isCurrent;
        }
        else
        {
            report = await ObserveAsync(source, content, claim, written, cancellationToken) with { Editions = editionReports };
        }

        if (current)
        {
            await _store.SaveRadarAsync(content.Radar, source.Id, now, cancellationToken);
        }

        return report;
    }

    /// <summary>
    /// A source's content that names an edition: not stored yet, it is imported as that edition
    /// (dated by its publication); stored, what differs from the current state is recorded as
    /// observations dated by the ingest ("changes seen between editions"; nothing when the source
    /// still says what the current state is) — unless a newer edition is stored, which says more.
    /// Returns whether the content is the radar's current word (its definition is then kept).
    /// </summary>
    private async Task<(MeasureSourceReport Report, bool Current)> IngestEditionAsync(
        Source source, MeasureSourceContent content, RadarClaim claim, RunWrites written, CancellationToken cancellationToken)
    {
        var edition = content.Edition!;
        var radarId = content.Radar.Id;
        var stored = await _editions.ListAsync(radarId, cancellationToken);
        var existing = stored.FirstOrDefault(e => e.Id == edition.Id);
        var newer = stored.Where(e => e.Published > edition.Published).Select(e => e.Id).ToList();
        if (existing is null)
        {
            var import = await _importer.ImportAsync(content, source.Id, source.Url, replace: false, cancellationToken);
            if (import.Commit is { } commit)
            {
                written.Add(content.Radar, commit);
            }

            return (Report(source, content, import.Report), newer.Count == 0);
        }

        if (newer.Count > 0)
        {
            if (existing.ContentHash == EditionImporter.ContentHash(content))
            {
                var unchanged = new EditionImportReport { Radar = radarId, Edition = edition.Id, Outcome = EditionOutcomes.Unchanged, Unchanged = content.Measures.Count };
                return (Report(source, content, unchanged), false);
            }

            _logger.LogWarning("Source {Source} still has edition {Edition} (changed), but edition {Newer} is newer: nothing applied", source.Id, edition.Id, newer[^1]);
            var stale = new EditionImportReport
            {
                Radar = radarId,
                Edition = edition.Id,
                Outcome = EditionOutcomes.Stale,
                Error = $"The content is edition '{edition.Id}' with changes, but edition '{newer[^1]}' is newer; its changes were not applied.",
            };
            return (Report(source, content, stale), false);
        }

        // The newest edition, stored: what differs from the current state (edits since the
        // edition, or back to it after edits) is what the source says now, dated by the ingest.
        var observed = await ObserveAsync(source, content, claim, written, cancellationToken);
        var changed = observed.Created + observed.Updated + observed.StatusChanged + observed.Removed + observed.Restored > 0;
        return (observed with { Edition = edition.Id, EditionOutcome = changed ? EditionOutcomes.Observed : EditionOutcomes.Unchanged }, true);
    }

    private static MeasureSourceReport Report(Source source, MeasureSourceContent content, EditionImportReport edition) => new()
    {
        Source = source.Id,
        Url = source.Url,
        Kind = source.Kind,
        Outcome = SourceOutcomes.Ingested,
        Radar = content.Radar.Id,
        Read = content.Read,
        Skipped = content.Skipped,
        Edition = edition.Edition,
        EditionOutcome = edition.Outcome,
        Created = edition.Created,
        Updated = edition.Updated,
        StatusChanged = edition.StatusChanged,
        Removed = edition.Removed,
        Restored = edition.Restored,
        Unchanged = edition.Unchanged,
        EditionError = edition.Error,
    };

    /// <summary>Records what differs from the current state, re-reading and comparing again if
    /// another writer got in between: what is written is always derived from what was stored.</summary>
    private async Task<MeasureSourceReport> ObserveAsync(
        Source source, MeasureSourceContent content, RadarClaim claim, RunWrites written, CancellationToken cancellationToken)
    {
        var radarId = content.Radar.Id;
        var committedEarlier = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await _store.ListMeasuresAsync(radarId, cancellationToken);
            var editions = await _editions.ListAsync(radarId, cancellationToken);
            var now = _clock.GetUtcNow();
            var firstImport = stored.Count == 0 && editions.Count == 0;
            var fresh = Observations.Plan(source.Id, content, stored, now, firstImport, wholeRadar: !claim.Shared);
            var plan = fresh.Credit(committedEarlier);
            var report = new MeasureSourceReport
            {
                Source = source.Id,
                Url = source.Url,
                Kind = source.Kind,
                Outcome = SourceOutcomes.Ingested,
                Radar = radarId,
                Read = content.Read,
                Skipped = content.Skipped,
                Created = plan.Created,
                Updated = plan.Updated,
                StatusChanged = plan.StatusChanged,
                Removed = plan.Removed,
                Restored = plan.Restored,
                Unchanged = plan.Unchanged,
            };
            if (plan.States.Count == 0)
            {
                return report;
            }

            // Deriving only the measures concerned is enough unless an edition is dated at or
            // after the new states (its counts change), or this is the first import (counted as one event).
            var earliest = plan.States.Min(s => s.At);
            var whole = firstImport || editions.Any(e => e.At >= earliest);
            var touched = whole ? null : plan.States.Select(s => s.MeasureId).ToHashSet(StringComparer.Ordinal);
            try
            {
                var commit = await _writer.CommitAsync(radarId, new TimelineEdit { Add = plan.States, Touched = touched }, cancellationToken);
                written.Add(content.Radar, commit);
                return report;
            }
            catch (MeasureConcurrencyException ex) when (attempt < MaxAttempts)
            {
                // Transactions written before the conflict stay written, and the next comparison sees
                // them as unchanged: the report still counts them as what they did (without this,
                // two racing runs once reported 27 of 60 measures created between them), but
                // listeners cannot be told about them one by one.
                foreach (var measureId in ex.CommittedMeasures)
                {
                    if (fresh.Kinds.TryGetValue(measureId, out var kind))
                    {
                        committedEarlier[measureId] = kind;
                    }
                }

                written.Incomplete = true;
                _logger.LogWarning("Source {Source}: {Message} Comparing again (attempt {Attempt}).", source.Id, ex.Message, attempt + 1);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                written.Incomplete = true;
                throw;
            }
        }
    }

    /// <summary>
    /// The source's <c>Editions</c> list: every document not imported yet (by its address; a
    /// <c>Full</c> run reads them all again) is fetched and imported as an edition of the source's
    /// radar. A document that cannot be used is reported and skipped; the others go in; the run
    /// of the source itself stands. A stored edition with other content is a conflict, reported,
    /// not replaced (the backfill can replace).
    /// </summary>
    private async Task<IReadOnlyList<EditionImportReport>> ImportEditionListAsync(
        Source source, string radarId, SourceRunMode mode, RunWrites written, CancellationToken cancellationToken)
    {
        var stored = await _editions.ListAsync(radarId, cancellationToken);
        var imported = stored.Where(e => e.DocumentUrl is not null).Select(e => e.DocumentUrl!).ToHashSet(StringComparer.Ordinal);
        var reports = new List<EditionImportReport>();
        foreach (var url in source.Editions)
        {
            if (mode != SourceRunMode.Full && imported.Contains(url))
            {
                continue;
            }

            EditionImportReport report;
            try
            {
                var fetched = await _fetcher.FetchAsync(url, SourceKinds.MeasuresJson, source.Origin, null, null, cancellationToken);
                if (fetched.Status != FetchStatus.Fetched)
                {
                    throw new SourceContentException(fetched.Error ?? "Not fetched.");
                }

                var content = JsonMeasureReader.Read(fetched.Content);
                if (content.Radar.Id != radarId)
                {
                    throw new SourceContentException($"The document describes radar '{content.Radar.Id}', not the source's radar '{radarId}'.");
                }

                if (content.Edition is not { } edition)
                {
                    throw new SourceContentException("The document names no edition ('radar.edition' with id, title, published).");
                }

                if (edition.Published > BerlinTime.DateOf(_clock.GetUtcNow()))
                {
                    throw new SourceContentException($"Edition '{edition.Id}' is published {BerlinTime.Format(edition.Published)}, after today.");
                }

                var import = await _importer.ImportAsync(content, source.Id, url, replace: false, cancellationToken);
                if (import.Commit is { } commit)
                {
                    written.Add(content.Radar, commit);
                }

                report = import.Report;
            }
            catch (SourceContentException ex)
            {
                report = new EditionImportReport { Radar = radarId, Url = url, Outcome = EditionOutcomes.Failed, Error = ex.Message };
            }

            _logger.Log(report.Outcome is EditionOutcomes.Failed or EditionOutcomes.Conflict ? LogLevel.Warning : LogLevel.Information,
                "Source {Source}: edition document {Url}: {Outcome}{Error}", source.Id, url, report.Outcome, report.Error is null ? "" : $"; {report.Error}");
            reports.Add(report);
        }

        return reports;
    }

    /// <summary>The radar the source owns (or is set up for): where its editions go.</summary>
    private async Task<string?> OwnedRadarAsync(Source source, CancellationToken cancellationToken)
    {
        var radars = await _store.ListRadarRecordsAsync(cancellationToken);
        return radars.FirstOrDefault(r => r.Owner == source.Id && (source.Radar is null || r.Id == source.Radar))?.Id;
    }

    private static EditionInfo? SettingsEdition(Source source, RadarDefinition radar) =>
        source.Edition is { } id && BerlinTime.TryParseDate(source.EditionPublished, out var published)
            ? new EditionInfo(id, source.EditionTitle ?? $"{radar.Title} {id}", published)
            : null;

    private async Task<RadarDefinition> LoadDefinitionAsync(Source source, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(source.Definition))
        {
            throw new SourceContentException("A CSV source needs a radar definition (setting __Definition).");
        }

        var fetched = await _fetcher.FetchAsync(source.Definition, SourceKinds.MeasuresJson, source.Origin, null, null, cancellationToken);
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

    /// <summary>What a run wrote, radar by radar, for the listeners.</summary>
    private sealed class RunWrites
    {
        public List<RadarMeasureWrites> Radars { get; } = [];

        public bool Incomplete { get; set; }

        public void Add(RadarDefinition radar, TimelineCommit commit)
        {
            if (commit.Writes.Count > 0 || commit.RemovedChangeIds.Count > 0)
            {
                Radars.Add(new RadarMeasureWrites(radar, commit.Writes) { RemovedChangeIds = commit.RemovedChangeIds });
            }
        }
    }
}
