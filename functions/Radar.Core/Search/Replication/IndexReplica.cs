using System.Diagnostics;
using Azure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Radar.Core.Search.Replication;

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
    private readonly ReplicaLoader _loader;
    private readonly SearchOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<IndexReplica> _logger;
    private CancellationTokenSource? _wake;
    private int _nudged;
    private readonly TaskCompletionSource _firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _loadedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Lineages loaded before the one loaded now: a wait for one of them is over.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _lineagesSeenSet = new(StringComparer.Ordinal);
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
        _loader = new ReplicaLoader(snapshots, folders);
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

    /// <summary>The manifest of the commit loaded now (lineage, generation, when published); null
    /// while none is loaded. What the HTTP edge names in <c>Radar-Snapshot</c> and keys its
    /// answer cache by: cheaper than <see cref="Status"/>, read on every request.</summary>
    public IndexManifest? LoadedManifest => Volatile.Read(ref _current)?.Manifest;

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

    /// <summary>Waits until this instance serves <paramref name="generation"/> of
    /// <paramref name="lineage"/> or something newer (a later generation, or another lineage
    /// published after it); false when it does not within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForAsync(string lineage, long generation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Nudge();
        var deadline = _clock.GetUtcNow() + timeout;
        while (true)
        {
            var signal = Volatile.Read(ref _loadedSignal).Task;
            var manifest = Volatile.Read(ref _current)?.Manifest;
            if (manifest is not null && (manifest.Lineage == lineage ? manifest.Generation >= generation : _lineagesSeenSet.ContainsKey(lineage)))
            {
                return true;
            }

            var left = deadline - _clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await signal.WaitAsync(left, _clock, cancellationToken);
            }
            catch (TimeoutException)
            {
                return false;
            }
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

            if (manifest.Generation > current.Manifest.Generation && ReplicaLoader.Continues(current, manifest))
            {
                try
                {
                    await _loader.RefreshInPlaceAsync(current, manifest, etag, cancellationToken);
                    Loaded(manifest, started, inPlace: true);
                    return;
                }
                catch (SnapshotCorruptException ex)
                {
                    _logger.LogWarning("Refreshing to generation {Generation} in place failed ({Message}); loading it afresh", manifest.Generation, ex.Message);
                }
            }
        }

        var loaded = await _loader.LoadAsync(manifest, etag, cancellationToken);

        // Searches that hold the old commit finish on it; the last one disposes it.
        Interlocked.Exchange(ref _current, loaded)?.Release();
        _broken = false;
        Loaded(manifest, started, inPlace: false);
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
        _lineagesSeenSet.TryAdd(manifest.Lineage, true);
        Interlocked.Exchange(ref _loadedSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
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
