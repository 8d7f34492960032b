using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Radar.Core.Health;
using Radar.Core.Search.Replication;
using Radar.Core.Sources;

namespace Radar.Core.WebSub;

public static class WebSubServices
{
    /// <summary>The WebSub hub: intake, the queue's worker, the dispatcher told of every published
    /// generation, health. Call after <c>AddSearch</c> and <c>AddSyndication</c>.</summary>
    public static IServiceCollection AddWebSub(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebSubOptions>().Bind(configuration.GetSection(WebSubOptions.Section))
            .Validate(o => o.MinLeaseSeconds > 0 && o.MinLeaseSeconds <= o.DefaultLeaseSeconds && o.DefaultLeaseSeconds <= o.MaxLeaseSeconds,
                "Radar__WebSub__MinLeaseSeconds <= DefaultLeaseSeconds <= MaxLeaseSeconds, all positive.");
        services.AddSources(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SubscriptionStore>();
        services.AddSingleton<HubQueue>();
        services.AddSingleton<CallbackClient>();
        services.AddSingleton<TopicFeeds>();
        services.AddSingleton<WebSubHub>();
        services.AddSingleton<WebSubWorker>();
        services.AddSingleton<WebSubDispatcher>();
        services.AddSingleton<IIndexPublishedListener>(sp => sp.GetRequiredService<WebSubDispatcher>());
        services.AddSingleton<IHealthContributor, WebSubHealthContributor>();
        services.AddGuardedClientWithoutRedirects(CallbackClient.ClientName);
        return services;
    }
}
