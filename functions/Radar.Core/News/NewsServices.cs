using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Radar.Core.News;

public static class NewsServices
{
    /// <summary>News parsing, normalisation and storage. <see cref="IRelatedMeasureFinder"/> is
    /// <see cref="NoRelatedMeasures"/> unless something registered a finder before.</summary>
    public static IServiceCollection AddNews(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NewsOptions>().Bind(configuration.GetSection(NewsOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<NewsHtml>();
        services.AddSingleton<NewsFeedParser>();
        services.AddSingleton<NewsStore>();
        services.AddSingleton<NewsFeedImporter>();
        services.AddSingleton<NewsIngestService>();
        services.TryAddSingleton<IRelatedMeasureFinder, NoRelatedMeasures>();
        return services;
    }
}
