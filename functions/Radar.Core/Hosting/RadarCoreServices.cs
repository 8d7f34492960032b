using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Radar.Core.Health;
using Radar.Core.Ingest;
using Radar.Core.News;
using Radar.Core.Storage;

namespace Radar.Core.Hosting;

public static class RadarCoreServices
{
    /// <summary>Everything in <c>Radar.Core</c>, registered once for both hosts (the Functions
    /// worker and the local runner).</summary>
    public static IServiceCollection AddRadarCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RadarOptions>().Bind(configuration.GetSection(RadarOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => StorageConnection.FromConfiguration(
            configuration, sp.GetRequiredService<IOptions<RadarOptions>>().Value.StorageConnection));
        services.AddSingleton<RadarStorage>();
        services.AddSingleton<HealthService>();
        services.AddIngestLease();
        services.AddNews(configuration);
        return services;
    }
}
