using Azure;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace Radar.Core.Ingest;

/// <summary>Who holds an ingest lease, and since when (UTC). <see cref="Since"/> is null when the
/// holder is not known (it had not written its name yet).</summary>
public sealed record IngestLeaseHolder(string Owner, DateTimeOffset? Since)
{
    public static IngestLeaseHolder Unknown { get; } = new("unknown", null);
}

/// <summary>
/// One ingest run's claim on its kind, from <see cref="IngestLease.TryAcquireAsync"/>. When
/// <see cref="Acquired"/> is true this process holds the lease: it is renewed in the background
/// until the run is disposed, which releases it. If a renewal fails for good (the lease was lost
/// or storage is out of reach for too long), <see cref="CancellationToken"/> is cancelled, so the
/// run stops before another instance can take over. When <see cref="Acquired"/> is false another
/// run holds it: <see cref="Holder"/> says who, and the token is already cancelled.
/// </summary>
public sealed class IngestRun : IAsyncDisposable
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    private readonly BlobLeaseClient? _lease;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopRenewing = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource? _runToken;
    private readonly Task _renewal = Task.CompletedTask;
    private long _renewedAtTicks;
    private int _disposed;

    private IngestRun(string kind, IngestLeaseHolder holder)
    {
        Kind = kind;
        Holder = holder;
        _clock = TimeProvider.System;
        _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        CancellationToken = new CancellationToken(canceled: true);
    }

    private IngestRun(
        string kind, IngestLeaseHolder holder, BlobLeaseClient lease, TimeSpan duration,
        TimeProvider clock, ILogger logger, CancellationToken callerToken)
    {
        Kind = kind;
        Holder = holder;
        Acquired = true;
        _lease = lease;
        _duration = duration;
        _clock = clock;
        _logger = logger;
        _renewedAtTicks = clock.GetUtcNow().UtcTicks;
        _runToken = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _lost.Token);
        CancellationToken = _runToken.Token;
        _renewal = RenewAsync();
    }

    /// <summary>The ingest kind (<c>measures</c>, <c>news</c>, …).</summary>
    public string Kind { get; }

    /// <summary>True: this run holds the lease and may ingest. False: another run does.</summary>
    public bool Acquired { get; }

    /// <summary>This process when acquired; the other holder when refused.</summary>
    public IngestLeaseHolder Holder { get; }

    /// <summary>Cancelled when the lease is lost (or the caller's token is cancelled). Pass it to
    /// everything the run does.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>When the lease was last acquired or renewed (UTC).</summary>
    public DateTimeOffset RenewedAt => new(Interlocked.Read(ref _renewedAtTicks), TimeSpan.Zero);

    /// <summary>True once renewal has failed for good and the run was told to stop.</summary>
    public bool LeaseLost => _lost.IsCancellationRequested;

    internal static IngestRun Refused(string kind, IngestLeaseHolder holder) => new(kind, holder);

    internal static IngestRun Start(
        string kind, IngestLeaseHolder holder, BlobLeaseClient lease, TimeSpan duration,
        TimeProvider clock, ILogger logger, CancellationToken callerToken) =>
        new(kind, holder, lease, duration, clock, logger, callerToken);

    /// <summary>Stops renewing and releases the lease, so the next run can start at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1 || !Acquired)
        {
            return;
        }

        await StopRenewingAsync();
        if (!LeaseLost)
        {
            try
            {
                using var timeout = new CancellationTokenSource(ReleaseTimeout, _clock);
                await _lease!.ReleaseAsync(cancellationToken: timeout.Token);
            }
            catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException)
            {
                // Not fatal: the lease runs out by itself within its duration.
                _logger.LogWarning(ex, "Could not release the {Kind} ingest lease; it expires within {Duration}", Kind, _duration);
            }
        }

        _runToken?.Dispose();
        _lost.Dispose();
        _stopRenewing.Dispose();
    }

    /// <summary>Stops renewing without releasing, as a process that is killed does. Tests use it to
    /// show that the next run gets the lease once it expires.</summary>
    internal async Task AbandonAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        await StopRenewingAsync();
    }

    private async Task StopRenewingAsync()
    {
        await _stopRenewing.CancelAsync();
        await _renewal;
    }

    private async Task RenewAsync()
    {
        var period = _duration / 3;
        using var timer = new PeriodicTimer(period, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopRenewing.Token))
            {
                using var timeout = new CancellationTokenSource(period, _clock);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stopRenewing.Token, timeout.Token);
                try
                {
                    await _lease!.RenewAsync(cancellationToken: attempt.Token);
                    Interlocked.Exchange(ref _renewedAtTicks, _clock.GetUtcNow().UtcTicks);
                }
                catch (RequestFailedException ex) when (ex.Status is 409 or 412)
                {
                    // Someone else holds it now (ours expired, or it was broken): stop at once.
                    await LoseAsync(ex, "the lease was taken over");
                    return;
                }
                catch (Exception ex) when (!_stopRenewing.IsCancellationRequested)
                {
                    // Storage out of reach: keep trying while there is time, but stop the run well
                    // before the lease can run out and another instance can start.
                    if (_clock.GetUtcNow() - RenewedAt >= _duration - period)
                    {
                        await LoseAsync(ex, "it could not be renewed in time");
                        return;
                    }

                    _logger.LogWarning(ex, "Renewing the {Kind} ingest lease failed; trying again", Kind);
                }
            }
        }
        catch (OperationCanceledException) when (_stopRenewing.IsCancellationRequested)
        {
        }
    }

    private async Task LoseAsync(Exception ex, string why)
    {
        _logger.LogError(ex, "The {Kind} ingest run lost its lease ({Why}); cancelling the run", Kind, why);
        await _lost.CancelAsync();
    }
}
