using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Measures.Timeline;
using Radar.Core.Sources;

namespace Radar.Core.Measures.Ingest;

public static class MeasuresServices
{
    /// <summary>Measures: readers, storage, ingest, the radar queries; and the sources they are
    /// fetched from. A measure's news come from an <see cref="IRelatedNewsFinder"/>, which the
    /// search index registers (<c>AddSearch</c>); every host calls both.</summary>
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
        // The tables; AddSearch replaces it with the published snapshot for the public routes.
        services.AddSingleton<IRadarReads, TableRadarReads>();
        return services;
    }
}
