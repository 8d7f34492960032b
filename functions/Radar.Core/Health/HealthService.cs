using System.Reflection;
using Azure;
using Microsoft.Extensions.Logging;
using Radar.Core.Storage;

namespace Radar.Core.Health;

/// <summary>Checks that storage is really reached (a table and a blob call) and asks every
/// <see cref="IHealthContributor"/> for its state.</summary>
public sealed class HealthService(
    RadarStorage storage,
    IEnumerable<IHealthContributor> contributors,
    TimeProvider clock,
    ILogger<HealthService> logger)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    // The process's start, not this service's: it is built on the first health request, and
    // "up for 0.1 s" after an hour of serving would send an operator looking for a restart.
    private readonly DateTimeOffset _startedAt = new(System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime(), TimeSpan.Zero);

    public static string Version { get; } =
        typeof(HealthService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "unknown";

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var storageHealth = await CheckStorageAsync(cancellationToken);
        var components = new Dictionary<string, object?>(StringComparer.Ordinal);
        var states = new Dictionary<string, ComponentState>(StringComparer.Ordinal);
        var healthy = true;
        var serving = new List<bool>();
        var loadFailing = false;
        foreach (var contributor in contributors)
        {
            try
            {
                var contribution = await contributor.CheckAsync(cancellationToken);
                components[contributor.Name] = contribution.Details;
                states[contributor.Name] = new ComponentState(contribution.Healthy ? HealthStatus.Ok : HealthStatus.Degraded, contribution.Counts);
                healthy &= contribution.Healthy;
                if (contribution.Serving is { } holds)
                {
                    serving.Add(holds);
                    loadFailing |= !holds && !contribution.Healthy;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Health contributor {Name} failed", contributor.Name);
                components[contributor.Name] = new { status = HealthStatus.Unavailable, error = ex.Message };
                states[contributor.Name] = new ComponentState(HealthStatus.Unavailable, null);
                healthy = false;
            }
        }

        // A loaded snapshot answers every public route, so storage out of reach only degrades.
        // Without one, storage out of reach or a failing load leaves nothing to answer from; an
        // instance still loading at start is not a fault.
        var loaded = serving.Count > 0 && serving.All(s => s);
        var storageOk = storageHealth.Status == HealthStatus.Ok;
        var status = !loaded && (!storageOk || loadFailing)
            ? HealthStatus.Unavailable
            : storageOk && healthy ? HealthStatus.Ok : HealthStatus.Degraded;
        var now = clock.GetUtcNow();
        return new HealthReport(status, Version, _startedAt, Math.Round((now - _startedAt).TotalSeconds, 1), storageHealth, components)
        {
            States = states,
            Serving = loaded,
        };
    }

    private async Task<StorageHealth> CheckStorageAsync(CancellationToken cancellationToken)
    {
        var connection = storage.Connection;
        if (connection.Error is { } configError)
        {
            return new StorageHealth(HealthStatus.Unavailable, connection.SettingName, null, "not configured", "not configured", configError);
        }

        string? account = null;
        try
        {
            var (tables, blobs) = storage.CreateProbeClients();
            account = tables.AccountName;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            var tableResult = await ProbeAsync(async ct =>
            {
                await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages().WithCancellation(ct))
                {
                    break;
                }
            }, timeout.Token);
            var blobResult = await ProbeAsync(async ct =>
            {
                await foreach (var _ in blobs.GetBlobContainersAsync(cancellationToken: ct).AsPages(pageSizeHint: 1).WithCancellation(ct))
                {
                    break;
                }
            }, timeout.Token);
            var error = tableResult ?? blobResult;
            return new StorageHealth(
                error is null ? HealthStatus.Ok : HealthStatus.Unavailable,
                connection.SettingName,
                account,
                tableResult is null ? HealthStatus.Ok : HealthStatus.Unavailable,
                blobResult is null ? HealthStatus.Ok : HealthStatus.Unavailable,
                error is null ? null : $"Storage from setting '{connection.SettingName}' is not reachable: {error}");
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            // The connection string parsed as key=value pairs but the client refused it.
            return new StorageHealth(HealthStatus.Unavailable, connection.SettingName, account, "not configured", "not configured",
                $"Setting '{connection.SettingName}' is not a usable storage connection: {ex.Message}");
        }
    }

    private async Task<string?> ProbeAsync(Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        try
        {
            await probe(cancellationToken);
            return null;
        }
        catch (RequestFailedException ex)
        {
            logger.LogWarning(ex, "Storage probe failed");
            // Status 0: no answer at all; the transport's message says why (refused, no such host).
            return ex.Status == 0 ? ex.Message : $"{ex.Status} {ex.ErrorCode}".Trim();
        }
        catch (Exception ex) when (ex is OperationCanceledException or AggregateException or System.Net.Http.HttpRequestException)
        {
            logger.LogWarning(ex, "Storage probe failed");
            return ex is OperationCanceledException ? $"no answer within {ProbeTimeout.TotalSeconds:0} s" : ex.GetBaseException().Message;
        }
    }
}
