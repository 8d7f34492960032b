using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Radar.Core.Syndication;

public static class SyndicationServices
{
    /// <summary>The latest-changes feeds. Full-text feed queries go to whatever
    /// <see cref="IFeedSearcher"/> was registered before (the search index); none: <see cref="NoFeedSearcher"/>.</summary>
    public static IServiceCollection AddSyndication(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.TryAddSingleton<IFeedSearcher, NoFeedSearcher>();
        services.AddSingleton<FeedService>();
        return services;
    }
}
