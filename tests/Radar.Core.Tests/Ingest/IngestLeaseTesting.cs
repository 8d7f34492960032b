using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Radar.Core.Ingest;
using Radar.Core.Storage;

namespace Radar.Core.Tests.Ingest;

/// <summary>Leases as separate processes would hold them: each contender has its own storage
/// clients and its own name, all on the test's Azurite under one storage prefix.</summary>
internal static class IngestLeaseTesting
{
    /// <summary>The shortest lease blob storage allows, so expiry tests wait as little as possible.</summary>
    public static readonly TimeSpan ShortLease = TimeSpan.FromSeconds(15);

    public static IngestLease Instance(AzuriteFixture azurite, string prefix, string owner, TimeSpan? duration = null, TimeProvider? clock = null) =>
        new(LeaseStorage(azurite, prefix),
            clock ?? TimeProvider.System,
            Options.Create(new IngestLeaseOptions { Owner = owner, Duration = duration ?? ShortLease }),
            NullLogger<IngestLease>.Instance);

    public static RadarStorage LeaseStorage(AzuriteFixture azurite, string prefix) => new(
        StorageConnection.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection([new("Storage", azurite.ConnectionString)]).Build(), "Storage"),
        Options.Create(new RadarOptions { StoragePrefix = prefix }));
}
