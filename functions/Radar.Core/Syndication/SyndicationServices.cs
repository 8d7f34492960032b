using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Radar.Core.Syndication;

public static class SyndicationServices
{
    /// <summary>The latest-changes feeds. Full-text feed queries need an <see cref="IFeedSearcher"/>:
    /// the search index registers it (<c>AddSearch</c>), and every host calls both.</summary>
    public static IServiceCollection AddSyndication(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddSingleton<FeedService>();
        return services;
    }
}
