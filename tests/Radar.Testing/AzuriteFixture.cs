using Microsoft.Extensions.Logging.Abstractions;
using Radar.Local;
using Radar.Local.Azurite;
using Xunit;

namespace Radar.Testing;

/// <summary>
/// One real Azurite for a test assembly: free loopback ports, data in memory, stopped at the end
/// (and with the test process, however it ends). Tests keep apart by a storage prefix each.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public string ConnectionString => _azurite?.Ports.ConnectionString ?? throw new InvalidOperationException("Azurite is not started.");

    public AzuritePorts Ports => _azurite?.Ports ?? throw new InvalidOperationException("Azurite is not started.");

    public static string RepoRoot => RepositoryLayout.FindRoot() ?? throw new InvalidOperationException("Radar.sln not found above the test folder.");

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        _azurite = await AzuriteProcess.StartAsync(RepoRoot, AzuritePorts.Free(), location: null, NullLogger.Instance, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>A storage prefix no other test uses: tables and containers of one test.</summary>
    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];
}
