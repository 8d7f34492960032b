using Microsoft.Extensions.Logging;
using Radar.Core.Ingest;
using Radar.Core.Sources;

namespace Radar.Core.Measures.Timeline;

/// <summary>How a backfill ended. The HTTP layer maps: <see cref="Imported"/> 201,
/// <see cref="Replaced"/> and <see cref="Unchanged"/> 200, <see cref="Conflict"/> 409,
/// <see cref="LeaseHeld"/> 409 with <c>Retry-After</c>, <see cref="RadarMismatch"/>,
/// <see cref="NoEdition"/> and <see cref="FutureDate"/> 400, <see cref="UnknownRadar"/> 404.</summary>
public enum EditionImportStatus
{
    Imported,
    Replaced,
    Unchanged,
    Conflict,
    LeaseHeld,
    RadarMismatch,
    NoEdition,
    FutureDate,
    UnknownRadar,
}

/// <param name="Detail">A sentence for the problem document or the log.</param>
/// <param name="Holder">Who holds the <c>measures</c> lease (<see cref="EditionImportStatus.LeaseHeld"/>).</param>
public sealed record EditionImportResult(EditionImportStatus Status, string Detail, EditionImportReport? Report = null, IngestLeaseHolder? Holder = null);

/// <summary><see cref="Deleted"/> 204, <see cref="NotFound"/> and <see cref="UnknownRadar"/> 404,
/// <see cref="LeaseHeld"/> 409 with <c>Retry-After</c>.</summary>
public enum EditionDeleteStatus
{
    Deleted,
    NotFound,
    UnknownRadar,
    LeaseHeld,
}

public sealed record EditionDeleteResult(EditionDeleteStatus Status, string Detail, IngestLeaseHolder? Holder = null, int RemovedChanges = 0);

/// <summary>
/// The admin backfill of editions (<c>POST/DELETE /api/admin/radars/{radar}/editions…</c>):
/// imports a historic edition into a radar, or deletes a wrong one, and derives the radar again.
/// Takes the <c>measures</c> lease like an ingest (refused while one runs, naming the holder).
/// What it writes belongs to the radar's owner: a backfill is not a second source.
/// </summary>
public sealed class EditionService(
    MeasureStore store,
    EditionStore editions,
    SourceStore sources,
    IngestLease lease,
    TimeProvider clock,
    ILogger<EditionService> logger,
    IEnumerable<IMeasureChangeListener> listeners,
    ILoggerFactory loggers)
{
    private readonly TimelineWriter _writer = new(store, editions, loggers.CreateLogger<TimelineWriter>());
    private readonly MeasureChangeNotifier _notifier = new(listeners, loggers.CreateLogger<MeasureChangeNotifier>());

    /// <summary>A document in the JSON import format with <c>radar.edition</c>.</summary>
    /// <exception cref="SourceContentException">Not a document of that format (a 400, naming what is wrong).</exception>
    public static MeasureSourceContent ReadJson(ReadOnlyMemory<byte> body) => JsonMeasureReader.Read(body);

    /// <summary>A CSV edition: the measures as CSV, and the definition (the import format, with
    /// <c>radar.edition</c> naming the edition; its <c>measures</c> may be empty).</summary>
    /// <exception cref="SourceContentException">Either part is unusable (a 400).</exception>
    public static MeasureSourceContent ReadCsv(ReadOnlyMemory<byte> csv, ReadOnlyMemory<byte> definition)
    {
        var (radar, edition) = JsonMeasureReader.ReadDefinitionDocument(definition);
        return CsvMeasureReader.Read(csv, radar) with { Edition = edition };
    }

    public async Task<EditionImportResult> ImportAsync(string radarId, MeasureSourceContent document, bool replace, CancellationToken cancellationToken)
    {
        if (document.Radar.Id != radarId)
        {
            return new(EditionImportStatus.RadarMismatch,
                $"The document describes radar '{document.Radar.Id}', not '{radarId}'. Nothing was stored.");
        }

        if (document.Edition is not { } edition)
        {
            return new(EditionImportStatus.NoEdition,
                "The document names no edition: give 'radar.edition' with id, title and published (YYYY-MM-DD). Nothing was stored.");
        }

        var today = BerlinTime.DateOf(clock.GetUtcNow());
        if (edition.Published > today)
        {
            return new(EditionImportStatus.FutureDate,
                $"Edition '{edition.Id}' is published {BerlinTime.Format(edition.Published)}, after today ({BerlinTime.Format(today)}). Nothing was stored.");
        }

        if (await OwnerOfAsync(radarId, cancellationToken) is not { } owner)
        {
            return new(EditionImportStatus.UnknownRadar, $"There is no radar '{radarId}': no measures source brings it.");
        }

        await using var run = await lease.TryAcquireAsync(MeasureStore.LeaseKind, cancellationToken);
        if (!run.Acquired)
        {
            return new(EditionImportStatus.LeaseHeld,
                $"A measures ingest is running on {run.Holder.Owner} since {run.Holder.Since:u}; try again when it is done.", Holder: run.Holder);
        }

        var ct = run.CancellationToken;
        if (owner.Record?.Owner is null)
        {
            await store.SetOwnerAsync(document.Radar, owner.SourceId, clock.GetUtcNow(), ct);
        }

        await _writer.EnsureMigratedAsync(radarId, ct);
        var importer = new EditionImporter(editions, _writer, clock, loggers.CreateLogger<EditionImporter>());
        var import = await importer.ImportAsync(document, owner.SourceId, null, replace, ct);
        if (import.Commit is { } commit)
        {
            await SaveDefinitionIfNewestAsync(document.Radar, owner.SourceId, import.Stored!, commit, ct);
            var definition = await store.GetRadarAsync(radarId, ct) ?? document.Radar;
            await _notifier.NotifyAsync(new MeasureWriteSet([new RadarMeasureWrites(definition, commit.Writes) { RemovedChangeIds = commit.RemovedChangeIds }], false), ct);
        }

        var report = import.Report;
        logger.LogInformation("Backfill of edition {Edition} into radar {Radar}: {Outcome}", edition.Id, radarId, report.Outcome);
        return report.Outcome switch
        {
            EditionOutcomes.Imported => new(EditionImportStatus.Imported, $"Edition '{edition.Id}' imported.", report),
            EditionOutcomes.Replaced => new(EditionImportStatus.Replaced, $"Edition '{edition.Id}' replaced.", report),
            EditionOutcomes.Unchanged => new(EditionImportStatus.Unchanged, $"Edition '{edition.Id}' is already stored with this content; nothing changed.", report),
            _ => new(EditionImportStatus.Conflict, report.Error ?? "Conflict.", report),
        };
    }

    public async Task<EditionDeleteResult> DeleteAsync(string radarId, string editionId, CancellationToken cancellationToken)
    {
        if (await store.GetRadarRecordAsync(radarId, cancellationToken) is null)
        {
            return new(EditionDeleteStatus.UnknownRadar, $"There is no radar '{radarId}'.");
        }

        await using var run = await lease.TryAcquireAsync(MeasureStore.LeaseKind, cancellationToken);
        if (!run.Acquired)
        {
            return new(EditionDeleteStatus.LeaseHeld,
                $"A measures ingest is running on {run.Holder.Owner} since {run.Holder.Since:u}; try again when it is done.", run.Holder);
        }

        var ct = run.CancellationToken;
        if (await editions.GetAsync(radarId, editionId, ct) is null)
        {
            return new(EditionDeleteStatus.NotFound, $"Radar '{radarId}' has no edition '{editionId}'.");
        }

        await _writer.EnsureMigratedAsync(radarId, ct);
        TimelineCommit commit;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                commit = await _writer.CommitAsync(radarId, new TimelineEdit { DropEdition = editionId, DeleteEditionRow = true }, ct);
                break;
            }
            catch (MeasureConcurrencyException) when (attempt < 3)
            {
            }
        }

        var definition = await store.GetRadarAsync(radarId, ct);
        if (definition is not null)
        {
            await _notifier.NotifyAsync(new MeasureWriteSet([new RadarMeasureWrites(definition, commit.Writes) { RemovedChangeIds = commit.RemovedChangeIds }], false), ct);
        }

        logger.LogInformation("Edition {Edition} of radar {Radar} deleted; {Removed} changes gone", editionId, radarId, commit.RemovedChangeIds.Count);
        return new(EditionDeleteStatus.Deleted, $"Edition '{editionId}' deleted.", RemovedChanges: commit.RemovedChangeIds.Count);
    }

    /// <summary>The radar's owner: as recorded, else the source settings set up for it, else the
    /// source that defined it. Null: no such radar.</summary>
    private async Task<(string SourceId, RadarRecord? Record)?> OwnerOfAsync(string radarId, CancellationToken cancellationToken)
    {
        var record = await store.GetRadarRecordAsync(radarId, cancellationToken);
        if (record?.Owner is { } owner)
        {
            return (owner, record);
        }

        var configured = (await sources.ListAsync(cancellationToken)).Concat(sources.FromSettings())
            .FirstOrDefault(s => SourceKinds.IsMeasures(s.Kind) && s.Radar == radarId);
        if (configured is not null)
        {
            return (configured.Id, record);
        }

        return record?.SourceId is { } definer ? (definer, record) : null;
    }

    /// <summary>A backfilled edition that is now the radar's newest word (no later edition, no
    /// later observation) brings its definition; an older one leaves the current one alone.</summary>
    private async Task SaveDefinitionIfNewestAsync(RadarDefinition radar, string owner, Edition edition, TimelineCommit commit, CancellationToken cancellationToken)
    {
        var record = await store.GetRadarRecordAsync(radar.Id, cancellationToken);
        var newest = commit.Editions.Count > 0 && commit.Editions[^1].Id == edition.Id;
        var later = commit.Derived.Values.Any(d => d.Current?.LastStateAt is { } last && last > edition.At);
        if (record?.Definition is null || (newest && !later))
        {
            await store.SaveRadarAsync(radar, owner, clock.GetUtcNow(), cancellationToken);
        }
    }
}
