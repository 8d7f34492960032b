using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Radar.Core.Measures.Editions;
using Radar.Core.Measures.Timeline;
using Radar.Core.Sources;

namespace Radar.Core.Measures;

public static class MeasuresServices
{
    /// <summary>Measures: readers, storage, ingest, the radar queries; and the sources they are fetched from.</summary>
    public static IServiceCollection AddMeasures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSources(configuration);
        services.AddOptions<MeasuresOptions>().Bind(configuration.GetSection(MeasuresOptions.Section));
        services.AddSingleton<MeasureStore>();
        services.AddSingleton<EditionStore>();
        services.AddSingleton<EditionService>();
        services.AddSingleton<RadarTimelineLoader>();
        services.AddSingleton<RadarTimeQueries>();
        services.AddSingleton<MeasureIngestService>();
        services.AddSingleton<DefaultRadar>();
        services.AddSingleton<RadarQueries>();
        services.TryAddSingleton<IRelatedNewsFinder, NoRelatedNews>();
        return services;
    }
}
