using System.Diagnostics;
using Azure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Radar.Core.Search.Replication;

/// <summary>The replica in use by one search: dispose it when the search is done.</summary>
public sealed class IndexUse(LoadedIndex loaded) : IDisposable
{
    private int _disposed;

    public RadarIndex Index => loaded.Index;

    public IndexManifest Manifest => loaded.Manifest;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            loaded.Release();
        }
    }
}

/// <summary>
/// One loaded commit in one local folder, counted: searches hold it while they run; when a newer
/// lineage replaces it, it is disposed (and its folder deleted) once the last search is done.
/// Newer commits of the same lineage are loaded into the same folder (only new files are fetched)
/// and picked up by <see cref="RadarIndex.Refresh"/>.
/// </summary>
public sealed class LoadedIndex
{
    private readonly LocalIndexFolders _folders;
    private int _references = 1;

    internal LoadedIndex(RadarIndex index, string folder, IndexManifest manifest, ETag? etag, LocalIndexFolders folders)
    {
        Index = index;
        Folder = folder;
        Manifest = manifest;
        ETag = etag;
        _folders = folders;
        Present = manifest.Files.ToDictionary(f => f.Name, f => f.Blob, StringComparer.Ordinal);
    }

    public RadarIndex Index { get; }

    public string Folder { get; }

    public IndexManifest Manifest { get; internal set; }

    public ETag? ETag { get; internal set; }

    /// <summary>Files in the folder by Lucene name, with the blob each came from.</summary>
    internal Dictionary<string, string> Present { get; }

    internal bool TryRetain()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Index.Dispose();
            _folders.Delete(Folder);
        }
    }
}

/// <summary>What the replica of this instance is doing, for health.</summary>
public sealed record ReplicaStatus
{
    /// <summary><c>loading</c> (nothing loaded yet), <c>ready</c>, <c>failing</c> (serving an
    /// older commit or nothing, with <see cref="LastError"/>).</summary>
    public required string State { get; init; }

    public string? Lineage { get; init; }

    public long? Generation { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    public string? PublishedBy { get; init; }

    public IReadOnlyDictionary<string, int>? Documents { get; init; }

    public long? Bytes { get; init; }

    public int? Files { get; init; }

    public DateTimeOffset? LoadedAt { get; init; }

    /// <summary>When the manifest was last checked successfully.</summary>
    public DateTimeOffset? LastCheck { get; init; }

    /// <summary>The newest commit seen published, when it is not the one loaded.</summary>
    public long? NewestGeneration { get; init; }

    /// <summary>How long ago the newest published commit came out while an older one is still
    /// served (0 when the newest is loaded).</summary>
    public double? LagSeconds { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>Set when a writer left the stale marker: the published index misses something.</summary>
    public string? Stale { get; init; }

    public string? Folder { get; init; }
}

/// <summary>
/// This instance's local copy of the published index. In the background: on start it loads the
/// newest snapshot (or has it rebuilt from the tables when there is none or it is broken), then
/// every <see cref="SearchOptions.RefreshInterval"/> it checks the manifest's ETag (one cheap
/// request) and loads a newer commit when there is one. Searches never wait for any of it: they
/// take the commit loaded at that moment (<see cref="Acquire"/>), old or new, and keep it until
/// they are done.
/// </summary>
public sealed class IndexReplica : BackgroundService
{
    private static readonly TimeSpan StaleCheckInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    private readonly SnapshotStore _snapshots;
    private readonly IndexUpdater _updater;
    private readonly LocalIndexFolders _folders;
    private readonly SearchOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<IndexReplica> _logger;
    private CancellationTokenSource? _wake;
    private int _nudged;
    private readonly TaskCompletionSource _firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _statusGate = new();
    private LoadedIndex? _current;
    private volatile bool _broken;
    private DateTimeOffset? _loadedAt;
    private DateTimeOffset? _lastCheck;
    private DateTimeOffset _lastStaleCheck = DateTimeOffset.MinValue;
    private string? _stale;
    private IndexManifest? _newest;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;

    public IndexReplica(
        SnapshotStore snapshots,
        IndexUpdater updater,
        LocalIndexFolders folders,
        IOptions<SearchOptions> options,
        TimeProvider clock,
        ILogger<IndexReplica> logger)
    {
        _snapshots = snapshots;
        _updater = updater;
        _folders = folders;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _updater.Published += _ => Nudge();
    }

    /// <summary>The commit loaded now, held until the use is disposed; null while none is loaded.</summary>
    public IndexUse? Acquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current is null)
            {
                return null;
            }

            if (current.TryRetain())
            {
                return new IndexUse(current);
            }

            // Replaced and released in between: take the new one.
        }
    }

    public bool IsLoaded => Volatile.Read(ref _current) is not null;

    /// <summary>Waits until a commit is loaded; false when none is within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitUntilLoadedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (IsLoaded)
        {
            return true;
        }

        try
        {
            await _firstLoad.Task.WaitAsync(timeout, _clock, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Look for a newer snapshot now rather than at the next interval.</summary>
    public void Nudge()
    {
        Interlocked.Exchange(ref _nudged, 1);
        try
        {
            Volatile.Read(ref _wake)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The wait it would end is over already.
        }
    }

    /// <summary>A search failed inside the loaded index (a damaged file): load the commit again
    /// into a fresh folder, or have it rebuilt.</summary>
    public void ReportFailure(Exception exception)
    {
        _logger.LogError(exception, "A search failed inside the loaded index; loading it again");
        Fail("a search failed inside the loaded index: " + exception.Message);
        _broken = true;
        Nudge();
    }

    public ReplicaStatus Status()
    {
        var current = Volatile.Read(ref _current);
        lock (_statusGate)
        {
            var manifest = current?.Manifest;
            var newest = _newest;
            var behind = manifest is not null && newest is not null
                && (newest.Lineage != manifest.Lineage || newest.Generation > manifest.Generation);
            return new ReplicaStatus
            {
                State = current is null ? (_lastError is null ? "loading" : "failing") : (_broken || _lastError is not null ? "failing" : "ready"),
                Lineage = manifest?.Lineage,
                Generation = manifest?.Generation,
                PublishedAt = manifest?.PublishedAt,
                PublishedBy = manifest?.PublishedBy,
                Documents = manifest?.Documents,
                Bytes = manifest?.Bytes,
                Files = manifest?.Files.Count,
                LoadedAt = _loadedAt,
                LastCheck = _lastCheck,
                NewestGeneration = behind ? newest!.Generation : null,
                LagSeconds = manifest is null ? null : behind ? Math.Max(0, (_clock.GetUtcNow() - newest!.PublishedAt).TotalSeconds) : 0,
                LastError = _lastError,
                LastErrorAt = _lastErrorAt,
                Stale = _stale,
                Folder = current?.Folder,
            };
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                _logger.LogWarning(ex, "Index replica: {Message}", ex.Message);
                Fail(ex.Message);
            }

            var wait = failures == 0
                ? _options.RefreshInterval
                : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, _options.RefreshInterval.Ticks * (1L << Math.Min(failures, 6))));
            if (Interlocked.Exchange(ref _nudged, 0) == 1)
            {
                continue;
            }

            using (var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                Volatile.Write(ref _wake, wake);
                try
                {
                    if (Volatile.Read(ref _nudged) == 0)
                    {
                        await Task.Delay(wait, _clock, wake.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                    // Nudged (look now) or stopping (the loop ends).
                }
                finally
                {
                    Volatile.Write(ref _wake, null);
                }
            }

            Interlocked.Exchange(ref _nudged, 0);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Interlocked.Exchange(ref _current, null)?.Release();
    }

    public override void Dispose()
    {
        Interlocked.Exchange(ref _current, null)?.Release();
        base.Dispose();
    }

    /// <summary>One look at the manifest, and whatever follows from it.</summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var etag = await _snapshots.ManifestETagAsync(cancellationToken);
        var current = Volatile.Read(ref _current);
        lock (_statusGate)
        {
            _lastCheck = _clock.GetUtcNow();
        }

        if (current is not null && !_broken && etag is not null && etag == current.ETag)
        {
            Succeeded();
            await CheckStaleAsync(cancellationToken);
            return;
        }

        var read = await _snapshots.ReadManifestAsync(cancellationToken);
        if (read.Manifest is { } manifest)
        {
            lock (_statusGate)
            {
                _newest = manifest;
            }

            try
            {
                await LoadAsync(manifest, read.ETag, cancellationToken);
                return;
            }
            catch (SnapshotCorruptException ex)
            {
                _logger.LogError("Index snapshot generation {Generation} of {Lineage} is unusable: {Message}", manifest.Generation, manifest.Lineage, ex.Message);
                Fail(ex.Message);
            }
        }
        else if (read.Exists)
        {
            _logger.LogError("The index manifest is unusable: {Error}", read.Error);
            Fail("the index manifest is unusable: " + read.Error);
        }
        else
        {
            _logger.LogInformation("No index snapshot is published yet");
        }

        // No usable snapshot: one instance rebuilds it from the tables; the others find it after.
        var repair = await _updater.RepairAsync(read, becauseStale: false, cancellationToken);
        if (repair.Outcome == IndexOutcomes.LeaseTimeout)
        {
            throw new InvalidOperationException($"The index is being written by {repair.Holder?.Owner}; waiting for its snapshot.");
        }

        read = await _snapshots.ReadManifestAsync(cancellationToken);
        if (read.Manifest is null)
        {
            throw new InvalidOperationException("No usable index snapshot after a rebuild: " + (read.Error ?? "none published"));
        }

        lock (_statusGate)
        {
            _newest = read.Manifest;
        }

        await LoadAsync(read.Manifest, read.ETag, cancellationToken);
    }

    private async Task CheckStaleAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (now - _lastStaleCheck < StaleCheckInterval)
        {
            return;
        }

        _lastStaleCheck = now;
        var stale = await _snapshots.StaleReasonAsync(cancellationToken);
        lock (_statusGate)
        {
            _stale = stale;
        }

        if (stale is not null)
        {
            // A writer could not publish what the tables hold; nothing else may write soon.
            _logger.LogWarning("The index snapshot is marked stale ({Reason}); rebuilding it", stale);
            await _updater.RepairAsync(new ManifestRead(true, null, null, null), becauseStale: true, cancellationToken);
            lock (_statusGate)
            {
                _stale = null;
            }
        }
    }

    private async Task LoadAsync(IndexManifest manifest, ETag? etag, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var current = Volatile.Read(ref _current);
        if (current is not null && !_broken && current.Manifest.Lineage == manifest.Lineage)
        {
            if (manifest.Generation == current.Manifest.Generation)
            {
                current.ETag = etag;
                Succeeded();
                return;
            }

            if (manifest.Generation > current.Manifest.Generation && Continues(current, manifest))
            {
                try
                {
                    await RefreshInPlaceAsync(current, manifest, etag, cancellationToken);
                    Loaded(manifest, started, inPlace: true);
                    return;
                }
                catch (SnapshotCorruptException ex)
                {
                    _logger.LogWarning("Refreshing to generation {Generation} in place failed ({Message}); loading it afresh", manifest.Generation, ex.Message);
                }
            }
        }

        var folder = _folders.NewFolder("replica");
        LoadedIndex loaded;
        try
        {
            await FetchAsync(manifest.Files, folder, cancellationToken);
            RadarIndex index;
            try
            {
                index = RadarIndex.OpenReadOnly(folder);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new SnapshotCorruptException($"The snapshot does not open as an index: {ex.Message}", ex);
            }

            loaded = new LoadedIndex(index, folder, manifest, etag, _folders);
            if (!Verify(index, manifest, out var problem))
            {
                loaded.Release();
                throw new SnapshotCorruptException(problem);
            }
        }
        catch
        {
            _folders.Delete(folder);
            throw;
        }

        foreach (var file in manifest.Files)
        {
            _folders.Have(file.Blob, Path.Combine(folder, file.Name));
        }

        // Searches that hold the old commit finish on it; the last one disposes it.
        Interlocked.Exchange(ref _current, loaded)?.Release();
        _broken = false;
        Loaded(manifest, started, inPlace: false);
    }

    /// <summary>Whether the newer commit of the same lineage can go into the same folder: every
    /// name it shares with files already there must be the same blob.</summary>
    private static bool Continues(LoadedIndex current, IndexManifest manifest)
    {
        lock (current.Present)
        {
            return manifest.Files.All(f => !current.Present.TryGetValue(f.Name, out var blob) || blob == f.Blob);
        }
    }

    private async Task RefreshInPlaceAsync(LoadedIndex current, IndexManifest manifest, ETag? etag, CancellationToken cancellationToken)
    {
        List<SnapshotFile> missing;
        lock (current.Present)
        {
            missing = manifest.Files.Where(f => !current.Present.ContainsKey(f.Name)).ToList();
        }

        await FetchAsync(missing, current.Folder, cancellationToken);
        var previous = current.Manifest;
        lock (current.Present)
        {
            foreach (var file in missing)
            {
                current.Present[file.Name] = file.Blob;
                _folders.Have(file.Blob, Path.Combine(current.Folder, file.Name));
            }
        }

        // Searches in flight keep the searcher they have; new ones get the new commit.
        current.Index.Refresh();
        if (!Verify(current.Index, manifest, out var problem))
        {
            throw new SnapshotCorruptException(problem);
        }

        current.Manifest = manifest;
        current.ETag = etag;

        // Files neither this commit nor the one before it needs: searches that started before
        // the last refresh may still read the previous commit's files.
        var keep = manifest.Files.Concat(previous.Files).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        lock (current.Present)
        {
            foreach (var name in current.Present.Keys.Where(name => !keep.Contains(name)).ToList())
            {
                current.Present.Remove(name);
                SnapshotStore.TryDelete(Path.Combine(current.Folder, name));
            }
        }
    }

    /// <summary>Fetches files (copied from this instance's writer where it has them), the
    /// segments file last, so the folder never shows a commit whose files are not all there.</summary>
    private async Task FetchAsync(IReadOnlyList<SnapshotFile> files, string folder, CancellationToken cancellationToken)
    {
        var segments = files.Where(f => f.Name.StartsWith("segments", StringComparison.Ordinal)).ToList();
        await Parallel.ForEachAsync(files.Except(segments), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (file, token) => await _snapshots.MaterializeAsync(file, folder, _folders.Find(file.Blob), token));
        foreach (var file in segments)
        {
            await _snapshots.MaterializeAsync(file, folder, _folders.Find(file.Blob), cancellationToken);
        }
    }

    private static bool Verify(RadarIndex index, IndexManifest manifest, out string problem)
    {
        try
        {
            if (index.Generation != manifest.Generation)
            {
                problem = $"The snapshot's files hold generation {index.Generation}, not {manifest.Generation}.";
                return false;
            }

            var counts = IndexUpdater.Counts(index);
            if (manifest.Documents.Count > 0 && manifest.Documents.Any(d => counts.GetValueOrDefault(d.Key) != d.Value))
            {
                problem = "The snapshot holds other documents than its manifest says.";
                return false;
            }

            problem = "";
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problem = $"The snapshot cannot be searched: {ex.Message}";
            return false;
        }
    }

    private void Loaded(IndexManifest manifest, long started, bool inPlace)
    {
        lock (_statusGate)
        {
            _loadedAt = _clock.GetUtcNow();
            _lastError = null;
            _lastErrorAt = null;
        }

        _firstLoad.TrySetResult();
        _logger.LogInformation("Index replica at generation {Generation} of {Lineage} ({Documents}), {How} in {Ms:0} ms",
            manifest.Generation, manifest.Lineage, string.Join(", ", manifest.Documents.Select(d => $"{d.Value} {d.Key}")),
            inPlace ? "refreshed in place" : "loaded", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private void Succeeded()
    {
        lock (_statusGate)
        {
            _lastError = null;
            _lastErrorAt = null;
        }
    }

    private void Fail(string message)
    {
        lock (_statusGate)
        {
            _lastError = message;
            _lastErrorAt = _clock.GetUtcNow();
        }
    }
}
