using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Radar.Core.Health;
using Radar.Core.Measures;
using Radar.Core.News;
using Radar.Core.Search.Replication;

namespace Radar.Core.Search.Serving;

public static class SearchServices
{
    /// <summary>The search index: its replica on this instance (a hosted service), its writer, the
    /// feed from the ingests, search and suggest, related measures and news, health. Call after
    /// <c>AddNews</c> and <c>AddMeasures</c>: it replaces their "nothing related" defaults.</summary>
    public static IServiceCollection AddSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SearchOptions>().Bind(configuration.GetSection(SearchOptions.Section))
            .Validate(o => o.RefreshInterval >= TimeSpan.FromMilliseconds(100), "Radar__Search__RefreshInterval must be at least 00:00:00.1.")
            .Validate(o => o.LeaseWait >= TimeSpan.Zero, "Radar__Search__LeaseWait must not be negative.")
            .Validate(o => o.SnapshotGracePeriod >= TimeSpan.Zero, "Radar__Search__SnapshotGracePeriod must not be negative.");
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LocalIndexFolders>();
        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<RelatedScope>();
        services.AddSingleton<IndexSource>();
        services.AddSingleton<IndexUpdater>();
        services.AddSingleton<IndexReplica>();
        services.AddHostedService(sp => sp.GetRequiredService<IndexReplica>());
        services.AddSingleton<SearchService>();
        services.AddSingleton<IndexFeed>();
        services.AddSingleton<IMeasureChangeListener>(sp => sp.GetRequiredService<IndexFeed>());
        services.AddSingleton<INewsChangeListener>(sp => sp.GetRequiredService<IndexFeed>());
        services.Replace(ServiceDescriptor.Singleton<IRelatedMeasureFinder, IndexRelatedMeasureFinder>());
        services.Replace(ServiceDescriptor.Singleton<IRelatedNewsFinder, IndexRelatedNewsFinder>());
        services.Replace(ServiceDescriptor.Singleton<Syndication.IFeedSearcher, IndexFeedSearcher>());
        services.AddSingleton<IHealthContributor, IndexHealthContributor>();
        // Every public read from the snapshot this instance loaded; writers keep the stores.
        services.AddSingleton<SnapshotReads>();
        services.Replace(ServiceDescriptor.Singleton<IRadarReads>(sp => sp.GetRequiredService<SnapshotReads>()));
        services.Replace(ServiceDescriptor.Singleton<INewsReads>(sp => sp.GetRequiredService<SnapshotReads>()));
        return services;
    }
}
