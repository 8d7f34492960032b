using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Radar.Core.News.Normalising;

namespace Radar.Core.News;

public static class NewsServices
{
    /// <summary>News reading, normalisation, dedupe and storage. The ingest needs an
    /// <see cref="IRelatedMeasureFinder"/>, which the search index provides (<c>AddSearch</c>):
    /// every host registers both, so there is no "nothing related" stand-in.</summary>
    public static IServiceCollection AddNews(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NewsOptions>().Bind(configuration.GetSection(NewsOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NewsHtml>();
        services.AddSingleton<NewsItemNormaliser>();
        services.AddSingleton<NewsFeedParser>();
        services.AddSingleton<NewsStore>();
        services.AddSingleton<INewsReads, TableNewsReads>();
        services.AddSingleton<CrossSourceDedupe>();
        services.AddSingleton<NewsFeedImporter>();
        services.AddSingleton<NewsRunMarker>();
        services.AddSingleton<NewsLayoutMigration>();
        services.AddHostedService<NewsLayoutMigrationService>();
        services.AddSingleton<NewsIngestService>();
        return services;
    }
}
