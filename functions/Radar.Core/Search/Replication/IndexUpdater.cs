using System.Diagnostics;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Radar.Core.Ingest;

namespace Radar.Core.Search.Replication;

/// <summary>What changes in the index: documents to add or replace, keys to remove, or — when
/// <see cref="RebuildBecause"/> is set — "rebuild it all from the tables, because …".</summary>
public sealed record IndexChanges(IReadOnlyList<SearchDocument> Upserts, IReadOnlyList<IndexKey> Deletes, string? RebuildBecause = null)
{
    public bool IsEmpty => Upserts.Count == 0 && Deletes.Count == 0 && RebuildBecause is null;
}

/// <summary>A document's key: type, id and (for measures and changes) radar.</summary>
public sealed record IndexKey(string Type, string Id, string? RadarId);

public static class IndexOutcomes
{
    /// <summary>Written, committed and published.</summary>
    public const string Published = "published";

    /// <summary>Rebuilt from the tables and published.</summary>
    public const string Rebuilt = "rebuilt";

    /// <summary>Nothing to write (or nothing changed the commit).</summary>
    public const string Unchanged = "unchanged";

    /// <summary>Another writer held the index lease for longer than the wait: not written; the
    /// snapshot is marked stale, so the next writer rebuilds it.</summary>
    public const string LeaseTimeout = "lease-timeout";

    /// <summary>The snapshot was repaired (or found good) by another instance meanwhile.</summary>
    public const string NotNeeded = "not-needed";
}

/// <summary>What one write session did.</summary>
public sealed record IndexPublishReport
{
    public required string Outcome { get; init; }

    public string? Reason { get; init; }

    public string? Lineage { get; init; }

    public long Generation { get; init; }

    public int Upserted { get; init; }

    public int Deleted { get; init; }

    /// <summary>Documents per type in the published commit.</summary>
    public IReadOnlyDictionary<string, int> Documents { get; init; } = new Dictionary<string, int>();

    public int Files { get; init; }

    public int FilesUploaded { get; init; }

    public long Bytes { get; init; }

    public long BytesUploaded { get; init; }

    public int GarbageCollected { get; init; }

    public required DateTimeOffset At { get; init; }

    public double Seconds { get; init; }

    /// <summary>Who held the index lease when it was not acquired in time.</summary>
    public IngestLeaseHolder? Holder { get; init; }
}

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
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Writer? _writer;

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
    private async Task<Writer> WriterAtAsync(ManifestRead read, CancellationToken cancellationToken)
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

            var writer = new Writer(index, folder, manifest.Lineage, NewId(), manifest.Files.ToDictionary(f => f.Name, StringComparer.Ordinal))
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

    private async Task<IndexPublishReport> WriteAsync(Writer writer, ManifestRead read, IndexChanges changes, CancellationToken cancellationToken)
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
        Writer writer;
        try
        {
            var index = RadarIndex.Open(folder);
            writer = new Writer(index, folder, NewId(), NewId(), new Dictionary<string, SnapshotFile>(StringComparer.Ordinal));
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

    /// <summary>New files first, then the manifest (conditionally), then old files past their
    /// grace period are deleted.</summary>
    private async Task<IndexPublishReport> PublishAsync(Writer writer, ManifestRead previous, string reason, CancellationToken cancellationToken)
    {
        var (segmentsFile, generation, names) = writer.Index.LastCommit();
        var documents = Counts(writer.Index);
        if (writer.ETag is not null && generation == writer.Generation)
        {
            return new IndexPublishReport
            {
                Outcome = IndexOutcomes.Unchanged,
                Lineage = writer.Lineage,
                Generation = generation,
                Documents = documents,
                At = _clock.GetUtcNow(),
            };
        }

        var uploaded = new List<SnapshotFile>();
        var missing = names.Where(name => !writer.Files.ContainsKey(name)).ToList();
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (name, token) =>
        {
            var path = Path.Combine(writer.Folder, name);
            var file = await _snapshots.UploadFileAsync(name, path, SnapshotStore.FileBlob(writer.Lineage, writer.Session, name), token);
            lock (uploaded)
            {
                uploaded.Add(file);
            }
        });
        foreach (var file in uploaded)
        {
            writer.Files[file.Name] = file;
        }

        var files = names.Select(name => writer.Files[name]).ToList();
        var now = _clock.GetUtcNow();
        var blobs = files.Select(f => f.Blob).ToHashSet(StringComparer.Ordinal);
        var retired = (previous.Manifest?.Retired ?? [])
            .Where(r => now - r.Since < _options.SnapshotGracePeriod * 2)
            .Concat((previous.Manifest?.Files ?? []).Select(f => new RetiredBlob(f.Blob, now)))
            .Where(r => !blobs.Contains(r.Blob))
            .DistinctBy(r => r.Blob, StringComparer.Ordinal)
            .ToList();
        var manifest = new IndexManifest
        {
            Format = IndexManifest.CurrentFormat,
            Lineage = writer.Lineage,
            Generation = generation,
            SegmentsFile = segmentsFile,
            PublishedAt = now,
            PublishedBy = _owner,
            Reason = reason,
            Documents = documents,
            Files = files,
            Retired = retired,
        };
        writer.ETag = await _snapshots.WriteManifestAsync(manifest, previous.Exists ? previous.ETag : null, cancellationToken);
        writer.Generation = generation;
        foreach (var name in writer.Files.Keys.Where(name => !names.Contains(name)).ToList())
        {
            writer.Files.Remove(name);
        }

        foreach (var file in files)
        {
            _folders.Have(file.Blob, Path.Combine(writer.Folder, file.Name));
        }

        var collected = 0;
        try
        {
            collected = await _snapshots.CollectGarbageAsync(manifest, now, _options.SnapshotGracePeriod, cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            _logger.LogWarning(ex, "Collecting old snapshot files failed; the next publish tries again");
        }

        var report = new IndexPublishReport
        {
            Outcome = IndexOutcomes.Published,
            Reason = reason,
            Lineage = writer.Lineage,
            Generation = generation,
            Documents = documents,
            Files = files.Count,
            FilesUploaded = uploaded.Count,
            Bytes = manifest.Bytes,
            BytesUploaded = uploaded.Sum(f => f.Length),
            GarbageCollected = collected,
            At = now,
        };
        LastPublish = report;
        Published?.Invoke(manifest);
        return report;
    }

    internal static IReadOnlyDictionary<string, int> Counts(RadarIndex index)
    {
        var facets = index.Search(new SearchRequest { PageSize = 1 }).Facets[FacetNames.Type];
        return SearchDocumentTypes.All.ToDictionary(t => t, t => facets.GetValueOrDefault(t), StringComparer.Ordinal);
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

    /// <summary>The open local writer: its folder, the lineage and session its new files are
    /// published under, and what is published of it.</summary>
    private sealed class Writer(RadarIndex index, string folder, string lineage, string session, Dictionary<string, SnapshotFile> files)
    {
        public RadarIndex Index { get; } = index;

        public string Folder { get; } = folder;

        public string Lineage { get; } = lineage;

        public string Session { get; } = session;

        /// <summary>Published files by Lucene name.</summary>
        public Dictionary<string, SnapshotFile> Files { get; } = files;

        public long Generation { get; set; }

        /// <summary>The manifest's ETag once this writer's commit is published.</summary>
        public ETag? ETag { get; set; }
    }
}
