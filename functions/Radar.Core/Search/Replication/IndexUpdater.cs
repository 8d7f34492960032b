using System.Diagnostics;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Radar.Core.Ingest;

namespace Radar.Core.Search.Replication;

/// <summary>
/// The one writer of the index, wherever it runs: ingests' updates, the reindex, and rebuilds of
/// a missing or broken snapshot all go through it. A write session holds the <c>index</c> lease
/// (waiting up to <see cref="SearchOptions.LeaseWait"/> for another writer, rather than failing),
/// brings its local writer folder to the published commit, writes, commits, and publishes: the
/// commit's new files first, the manifest last, conditional on the manifest it started from.
/// </summary>
public sealed class IndexUpdater : IDisposable
{
    public const string LeaseKind = "index";

    private static readonly TimeSpan LeaseRetry = TimeSpan.FromSeconds(1);

    private readonly SnapshotStore _snapshots;
    private readonly IngestLease _lease;
    private readonly IndexSource _source;
    private readonly LocalIndexFolders _folders;
    private readonly SearchOptions _options;
    private readonly string _owner;
    private readonly TimeProvider _clock;
    private readonly ILogger<IndexUpdater> _logger;
    private readonly SnapshotPublisher _publisher;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LocalWriter? _writer;

    public IndexUpdater(
        SnapshotStore snapshots,
        IngestLease lease,
        IndexSource source,
        LocalIndexFolders folders,
        IOptions<SearchOptions> options,
        IOptions<IngestLeaseOptions> leaseOptions,
        TimeProvider clock,
        ILogger<IndexUpdater> logger)
    {
        _snapshots = snapshots;
        _lease = lease;
        _source = source;
        _folders = folders;
        _options = options.Value;
        _owner = leaseOptions.Value.Owner;
        _clock = clock;
        _logger = logger;
        _publisher = new SnapshotPublisher(snapshots, folders, _options, _owner, clock, logger);
    }

    /// <summary>Raised after this instance published a commit (so its own replica can load it at once).</summary>
    public event Action<IndexManifest>? Published;

    /// <summary>The last session of this instance that published something.</summary>
    public IndexPublishReport? LastPublish { get; private set; }

    /// <summary>Writes what changed and publishes it. A missing, broken or stale snapshot is
    /// rebuilt from the tables instead (which hold the change already).</summary>
    public Task<IndexPublishReport> ApplyAsync(IndexChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty)
        {
            return Task.FromResult(new IndexPublishReport { Outcome = IndexOutcomes.Unchanged, At = _clock.GetUtcNow() });
        }

        return UnderLeaseAsync("update", markStaleOnTimeout: true, async token =>
        {
            var read = await _snapshots.ReadManifestAsync(token);
            var stale = await _snapshots.StaleReasonAsync(token);
            var rebuild = changes.RebuildBecause
                ?? (stale is not null ? $"the snapshot was marked stale ({stale})" : null)
                ?? (read.Manifest is null ? (read.Exists ? $"the manifest is unusable ({read.Error})" : "there is no snapshot yet") : null);
            if (rebuild is null)
            {
                try
                {
                    var writer = await WriterAtAsync(read, token);
                    return await WriteAsync(writer, read, changes, token);
                }
                catch (SnapshotCorruptException ex)
                {
                    rebuild = $"the snapshot is unusable ({ex.Message})";
                }
            }

            return await RebuildAsync(read, rebuild, token);
        }, cancellationToken);
    }

    /// <summary>Rebuilds the whole index from the tables and publishes it (the reindex).</summary>
    public Task<IndexPublishReport> RebuildAsync(string reason, CancellationToken cancellationToken) =>
        UnderLeaseAsync("reindex", markStaleOnTimeout: false, async token =>
            await RebuildAsync(await _snapshots.ReadManifestAsync(token), reason, token), cancellationToken);

    /// <summary>
    /// Rebuilds a snapshot that a replica found missing or unusable (<paramref name="found"/> is
    /// what it read), unless another instance has published a new one meanwhile, or — when
    /// <paramref name="becauseStale"/> — the stale marker is gone. At most one instance rebuilds;
    /// the others find its snapshot.
    /// </summary>
    public Task<IndexPublishReport> RepairAsync(ManifestRead found, bool becauseStale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(found);
        return UnderLeaseAsync("repair", markStaleOnTimeout: false, async token =>
        {
            var read = await _snapshots.ReadManifestAsync(token);
            if (becauseStale)
            {
                var stale = await _snapshots.StaleReasonAsync(token);
                return stale is null
                    ? new IndexPublishReport { Outcome = IndexOutcomes.NotNeeded, At = _clock.GetUtcNow() }
                    : await RebuildAsync(read, $"the snapshot was marked stale ({stale})", token);
            }

            if (read.Exists != found.Exists || read.ETag != found.ETag)
            {
                return new IndexPublishReport { Outcome = IndexOutcomes.NotNeeded, At = _clock.GetUtcNow() };
            }

            var reason = !read.Exists ? "there is no snapshot yet"
                : read.Manifest is null ? $"the manifest is unusable ({read.Error})"
                : "the snapshot's files are missing or damaged";
            return await RebuildAsync(read, reason, token);
        }, cancellationToken);
    }

    public void Dispose()
    {
        DropWriter();
        _gate.Dispose();
    }

    private async Task<IndexPublishReport> UnderLeaseAsync(
        string what, bool markStaleOnTimeout, Func<CancellationToken, Task<IndexPublishReport>> work, CancellationToken cancellationToken)
    {
        var deadline = _clock.GetUtcNow() + _options.LeaseWait;
        if (!await _gate.WaitAsync(_options.LeaseWait, cancellationToken))
        {
            return await TimedOutAsync(what, IngestLeaseHolder.Unknown with { Owner = _owner + " (this instance)" }, markStaleOnTimeout, cancellationToken);
        }

        try
        {
            IngestRun run;
            while (true)
            {
                run = await _lease.TryAcquireAsync(LeaseKind, cancellationToken);
                if (run.Acquired)
                {
                    break;
                }

                var holder = run.Holder;
                await run.DisposeAsync();
                if (_clock.GetUtcNow() >= deadline)
                {
                    return await TimedOutAsync(what, holder, markStaleOnTimeout, cancellationToken);
                }

                await Task.Delay(LeaseRetry, _clock, cancellationToken);
            }

            await using (run)
            {
                try
                {
                    return await work(run.CancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // What this writer committed locally may not be published: start afresh next
                    // time, and make sure the next writer rebuilds what may be missing.
                    DropWriter();
                    await MarkStaleQuietlyAsync($"{what} failed on {_owner}: {ex.Message}");
                    throw;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IndexPublishReport> TimedOutAsync(string what, IngestLeaseHolder holder, bool markStale, CancellationToken cancellationToken)
    {
        _logger.LogWarning("Index {What} not written: the index lease is held by {Holder} since {Since}, longer than {Wait}",
            what, holder.Owner, holder.Since, _options.LeaseWait);
        if (markStale)
        {
            await MarkStaleQuietlyAsync($"an {what} on {_owner} could not get the index lease within {_options.LeaseWait}");
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new IndexPublishReport { Outcome = IndexOutcomes.LeaseTimeout, Holder = holder, At = _clock.GetUtcNow(), Reason = what };
    }

    private async Task MarkStaleQuietlyAsync(string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), _clock);
            await _snapshots.MarkStaleAsync(reason, timeout.Token);
            _logger.LogWarning("Index snapshot marked stale: {Reason}", reason);
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or InvalidOperationException)
        {
            _logger.LogError(ex, "Could not mark the index snapshot stale ({Reason}); a reindex repairs it", reason);
        }
    }

    /// <summary>The local writer, at the commit <paramref name="read"/> names: the one already
    /// open when it is there, else a new folder with the snapshot's files.</summary>
    private async Task<LocalWriter> WriterAtAsync(ManifestRead read, CancellationToken cancellationToken)
    {
        var manifest = read.Manifest!;
        if (_writer is { } open && open.Lineage == manifest.Lineage && open.Generation == manifest.Generation && open.ETag == read.ETag)
        {
            return open;
        }

        DropWriter();
        var folder = _folders.NewFolder("writer");
        try
        {
            var started = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(manifest.Files, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
                async (file, token) => await _snapshots.MaterializeAsync(file, folder, _folders.Find(file.Blob), token));
            RadarIndex index;
            try
            {
                index = RadarIndex.Open(folder);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new SnapshotCorruptException($"The snapshot does not open as an index: {ex.Message}", ex);
            }

            var writer = new LocalWriter(index, folder, manifest.Lineage, NewId(), manifest.Files.ToDictionary(f => f.Name, StringComparer.Ordinal))
            {
                Generation = manifest.Generation,
                ETag = read.ETag,
            };
            if (index.LastCommit().Generation != manifest.Generation)
            {
                writer.Index.Dispose();
                throw new SnapshotCorruptException($"The snapshot's files hold another commit than generation {manifest.Generation}.");
            }

            _logger.LogInformation("Index writer opened at generation {Generation} of {Lineage} ({Files} files) in {Ms:0} ms",
                manifest.Generation, manifest.Lineage, manifest.Files.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _writer = writer;
            return writer;
        }
        catch
        {
            _folders.Delete(folder);
            throw;
        }
    }

    private async Task<IndexPublishReport> WriteAsync(LocalWriter writer, ManifestRead read, IndexChanges changes, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        writer.Index.Upsert(changes.Upserts);
        var deleted = 0;
        foreach (var key in changes.Deletes)
        {
            deleted += writer.Index.Delete(key.Type, key.Id, key.RadarId) ? 1 : 0;
        }

        writer.Index.Commit();
        var report = await PublishAsync(writer, read, "update", cancellationToken);
        report = report with { Upserted = changes.Upserts.Count, Deleted = deleted, Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds };
        if (report.Outcome == IndexOutcomes.Published)
        {
            LastPublish = report;
        }

        _logger.LogInformation("Index updated: {Upserted} documents written, {Deleted} removed; generation {Generation}, {Uploaded} of {Files} files uploaded ({Bytes} bytes) in {Seconds:0.00} s",
            report.Upserted, report.Deleted, report.Generation, report.FilesUploaded, report.Files, report.BytesUploaded, report.Seconds);
        return report;
    }

    private async Task<IndexPublishReport> RebuildAsync(ManifestRead previous, string reason, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        _logger.LogInformation("Index rebuild from the tables: {Reason}", reason);
        var content = await _source.ReadAllAsync(cancellationToken);
        _logger.LogInformation("Index rebuild: read {Total} documents ({Counts}) in {Seconds:0.00} s; indexing",
            content.Documents.Count, string.Join(", ", content.Counts.Select(c => $"{c.Value} {c.Key}")), Stopwatch.GetElapsedTime(started).TotalSeconds);

        DropWriter();
        var folder = _folders.NewFolder("writer");
        LocalWriter writer;
        try
        {
            var index = RadarIndex.Open(folder);
            writer = new LocalWriter(index, folder, NewId(), NewId(), new Dictionary<string, SnapshotFile>(StringComparer.Ordinal));
            index.Rebuild(content.Documents);
        }
        catch
        {
            _folders.Delete(folder);
            throw;
        }

        _writer = writer;
        _logger.LogInformation("Index rebuild: {Total} documents indexed after {Seconds:0.00} s; publishing", content.Documents.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        var report = await PublishAsync(writer, previous, "rebuild: " + reason, cancellationToken);
        await _snapshots.ClearStaleAsync(cancellationToken);
        report = report with { Outcome = IndexOutcomes.Rebuilt, Upserted = content.Documents.Count, Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds };
        _logger.LogInformation("Index rebuilt and published: generation {Generation} of {Lineage}, {Counts}, {Files} files ({Bytes} bytes) in {Seconds:0.00} s",
            report.Generation, report.Lineage, string.Join(", ", report.Documents.Select(c => $"{c.Value} {c.Key}")), report.Files, report.Bytes, report.Seconds);
        LastPublish = report;
        return report;
    }

    /// <summary>Publishes the writer's last commit; when it did, this instance's replica hears of it.</summary>
    private async Task<IndexPublishReport> PublishAsync(LocalWriter writer, ManifestRead previous, string reason, CancellationToken cancellationToken)
    {
        var (report, manifest) = await _publisher.PublishAsync(writer, previous, reason, cancellationToken);
        if (manifest is not null)
        {
            LastPublish = report;
            Published?.Invoke(manifest);
        }

        return report;
    }

    private void DropWriter()
    {
        var writer = Interlocked.Exchange(ref _writer, null);
        if (writer is null)
        {
            return;
        }

        writer.Index.Dispose();
        _folders.Delete(writer.Folder);
    }

    private static string NewId() => Guid.NewGuid().ToString("N");
}
