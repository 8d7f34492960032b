using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Radar.Core.Ingest;

public static class IngestServices
{
    /// <summary>The cross-instance "one ingest at a time" guard, <see cref="IngestLease"/>.</summary>
    public static IServiceCollection AddIngestLease(this IServiceCollection services)
    {
        services.AddOptions<IngestLeaseOptions>();
        services.TryAddSingleton<IngestLease>();
        return services;
    }
}
