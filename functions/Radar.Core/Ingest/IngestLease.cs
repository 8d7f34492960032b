using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Radar.Core.Storage;

namespace Radar.Core.Ingest;

/// <summary>
/// One ingest of a kind at a time, across every process on the same storage: Functions instances,
/// local runners, admin calls. A run holds a blob lease on <c>leases/ingest-{kind}</c> for as long
/// as it lasts (see <see cref="IngestRun"/>). A second caller is refused with who holds it and
/// since when, which the holder writes into the lease blob's metadata right after acquiring it.
/// <code>
/// await using var run = await lease.TryAcquireAsync("measures", ct);
/// if (!run.Acquired) return AlreadyRunning(run.Holder);
/// await ingest.RunAsync(run.CancellationToken);
/// </code>
/// </summary>
public sealed partial class IngestLease
{
    private const string ContainerName = "leases";
    private const string OwnerKey = "holder";
    private const string SinceKey = "since";
    private const int Attempts = 5;
    private static readonly TimeSpan HolderWait = TimeSpan.FromMilliseconds(100);

    private readonly RadarStorage _storage;
    private readonly TimeProvider _clock;
    private readonly ILogger<IngestLease> _logger;
    private readonly TimeSpan _duration;
    private readonly string _owner;

    public IngestLease(RadarStorage storage, TimeProvider clock, IOptions<IngestLeaseOptions> options, ILogger<IngestLease> logger)
    {
        _storage = storage;
        _clock = clock;
        _logger = logger;
        _duration = options.Value.Duration;
        _owner = string.IsNullOrWhiteSpace(options.Value.Owner) ? "unnamed" : options.Value.Owner.Trim();
        if (_duration < TimeSpan.FromSeconds(15) || _duration > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(options), _duration, "Blob leases last 15 to 60 seconds.");
        }
    }

    /// <summary>
    /// Runs <paramref name="ingest"/> holding the lease of <paramref name="kind"/>, passing it the
    /// run's token (cancelled if the lease is lost). When another run holds the lease nothing runs:
    /// the answer is <paramref name="alreadyRunning"/> for that holder.
    /// </summary>
    public async Task<TReport> RunExclusiveAsync<TReport>(
        string kind, Func<CancellationToken, Task<TReport>> ingest, Func<IngestLeaseHolder, TReport> alreadyRunning, CancellationToken cancellationToken)
    {
        await using var run = await TryAcquireAsync(kind, cancellationToken);
        if (!run.Acquired)
        {
            _logger.LogInformation("The {Kind} ingest did not start: already running on {Owner} since {Since}", kind, run.Holder.Owner, run.Holder.Since);
            return alreadyRunning(run.Holder);
        }

        return await ingest(run.CancellationToken);
    }

    /// <summary>
    /// Claims the ingest of <paramref name="kind"/> for this process. Never throws because another
    /// run holds it: the answer then has <see cref="IngestRun.Acquired"/> false. Storage errors do
    /// throw (<see cref="RequestFailedException"/>): without storage there is nothing to ingest into.
    /// </summary>
    public async Task<IngestRun> TryAcquireAsync(string kind, CancellationToken cancellationToken)
    {
        if (!KindPattern().IsMatch(kind))
        {
            throw new ArgumentException($"Ingest kind '{kind}' must be lowercase letters, digits and hyphens.", nameof(kind));
        }

        var container = await _storage.GetContainerAsync(ContainerName, cancellationToken);
        var blob = container.GetBlobClient("ingest-" + kind);
        for (var attempt = 1; ; attempt++)
        {
            var lease = blob.GetBlobLeaseClient(Guid.NewGuid().ToString());
            try
            {
                await lease.AcquireAsync(_duration, cancellationToken: cancellationToken);
                return await StartAsync(kind, blob, lease, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound)
            {
                await CreateLeaseBlobAsync(blob, cancellationToken);
                continue;
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.LeaseAlreadyPresent)
            {
                // The holder writes its name right after acquiring; in that instant, or if the
                // lease was released meanwhile, look again before answering.
                var holder = await ReadHolderAsync(blob, cancellationToken);
                if (holder is not null || attempt >= Attempts)
                {
                    _logger.LogInformation("Ingest {Kind} is already running on {Owner} since {Since}", kind, holder?.Owner, holder?.Since);
                    return IngestRun.Refused(kind, holder ?? IngestLeaseHolder.Unknown);
                }
            }

            if (attempt >= Attempts)
            {
                throw new InvalidOperationException($"Could not acquire the {kind} ingest lease after {Attempts} attempts.");
            }

            await Task.Delay(HolderWait, _clock, cancellationToken);
        }
    }

    private async Task<IngestRun> StartAsync(string kind, BlobClient blob, BlobLeaseClient lease, CancellationToken cancellationToken)
    {
        var holder = new IngestLeaseHolder(_owner, _clock.GetUtcNow());
        try
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [OwnerKey] = HeaderSafe(holder.Owner),
                [SinceKey] = holder.Since!.Value.ToString("O", CultureInfo.InvariantCulture),
            };
            await blob.SetMetadataAsync(metadata, new BlobRequestConditions { LeaseId = lease.LeaseId }, cancellationToken);
        }
        catch
        {
            // Holding a lease nobody will renew would block the next run for its whole duration.
            await ReleaseQuietlyAsync(lease);
            throw;
        }

        _logger.LogInformation("Ingest {Kind} started on {Owner}", kind, holder.Owner);
        return IngestRun.Start(kind, holder, lease, _duration, _clock, _logger, cancellationToken);
    }

    /// <summary>The current holder, or null if the blob is not leased or names nobody yet.</summary>
    private static async Task<IngestLeaseHolder?> ReadHolderAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (properties.LeaseState != LeaseState.Leased ||
                !properties.Metadata.TryGetValue(OwnerKey, out var owner) ||
                !properties.Metadata.TryGetValue(SinceKey, out var sinceText) ||
                !DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var since))
            {
                return null;
            }

            return new IngestLeaseHolder(owner, since);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            return null;
        }
    }

    private static async Task CreateLeaseBlobAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Another caller created it first: fine, it is the same empty blob.
        }
    }

    private async Task ReleaseQuietlyAsync(BlobLeaseClient lease)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), _clock);
            await lease.ReleaseAsync(cancellationToken: timeout.Token);
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException)
        {
            _logger.LogWarning(ex, "Could not release an ingest lease after a failed start; it expires within {Duration}", _duration);
        }
    }

    // Metadata travels in HTTP headers: ASCII only.
    private static string HeaderSafe(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.ToString();
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex KindPattern();
}
