using Radar.Core.Storage;

namespace Radar.Local.Azurite;

/// <summary>
/// When the storage setting is development storage and nothing answers on its ports, starts
/// Azurite for the life of the runner, its data under <c>.radar/azurite</c>. Registered first, so
/// storage is up before a timer runs on startup.
/// </summary>
internal sealed class AzuriteLauncher(StorageConnection connection, string repoRoot, string location, bool enabled, ILogger<AzuriteLauncher> logger)
    : IHostedService
{
    private AzuriteProcess? _azurite;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!enabled || !connection.IsValid || !connection.IsDevelopmentStorage)
        {
            return;
        }

        var ports = PortsOf(connection.ConnectionString!);
        var listening = new[]
        {
            await AzuriteProcess.IsListeningAsync(ports.Blob, cancellationToken),
            await AzuriteProcess.IsListeningAsync(ports.Queue, cancellationToken),
            await AzuriteProcess.IsListeningAsync(ports.Table, cancellationToken),
        };
        if (listening.All(x => x))
        {
            logger.LogInformation("Storage emulator already answers on 127.0.0.1:{Blob}/{Table}; using it", ports.Blob, ports.Table);
            return;
        }

        if (listening.Any(x => x))
        {
            logger.LogWarning("Some of the Azurite ports {Ports} are taken by something else; starting Azurite may fail", ports);
        }

        _azurite = await AzuriteProcess.StartAsync(repoRoot, ports, location, logger, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    // UseDevelopmentStorage=true means the well-known ports; an explicit devstoreaccount1 string names its endpoints.
    private static AzuritePorts PortsOf(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        int? Port(string key) => parts.TryGetValue(key, out var url) && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Port : null;
        var blob = Port("BlobEndpoint") ?? AzuritePorts.Default.Blob;
        var table = Port("TableEndpoint") ?? AzuritePorts.Default.Table;
        return new AzuritePorts(blob, Port("QueueEndpoint") ?? (blob == AzuritePorts.Default.Blob ? AzuritePorts.Default.Queue : blob + 1), table);
    }
}
