using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Radar.Core.Health;

namespace Radar.Core.Sources;

public static class SourcesServices
{
    /// <summary>The source registry, the shared fetcher and its two HTTP clients (trusted for
    /// sources from settings, guarded for sources added through the API). Safe to call twice.</summary>
    public static IServiceCollection AddSources(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(SourceFetcher)))
        {
            return services;
        }

        services.AddOptions<FetchOptions>().Bind(configuration.GetSection(FetchOptions.Section));
        services.AddOptions<List<SourceSetting>>().Bind(configuration.GetSection($"{RadarOptions.Section}:Sources"));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SourceStore>();
        services.AddSingleton<SourceFetcher>();
        services.AddSingleton<SourceRunner>();
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.AddSingleton<SourceUrlCheck>();
        services.AddSingleton<SourceAdmin>();
        services.AddSingleton<IHealthContributor, SourcesHealthContributor>();

        AddSourceClient(services, SourceFetcher.TrustedClient, guarded: false);
        AddSourceClient(services, SourceFetcher.GuardedClient, guarded: true);
        return services;
    }

    public static string UserAgent(RadarOptions options)
    {
        var version = HealthService.Version.Split('+')[0];
        return string.IsNullOrWhiteSpace(options.PublicUrl)
            ? $"Radar/{version}"
            : $"Radar/{version} (+{options.PublicUrl.Trim()})";
    }

    /// <summary>A client for addresses given by outsiders other than sources (WebSub callbacks):
    /// the same <see cref="AddressGuard"/> on every connect, no redirects at all, no retries (the
    /// caller retries on its own schedule), no proxy. The caller bounds time and body size.</summary>
    public static IHttpClientBuilder AddGuardedClientWithoutRedirects(this IServiceCollection services, string name)
    {
        services.AddOptions<FetchOptions>();
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        return services.AddHttpClient(name, (sp, client) =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent(sp.GetRequiredService<IOptions<RadarOptions>>().Value));
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var guard = AddressGuard.FromOptions(sp.GetRequiredService<IOptions<FetchOptions>>().Value);
                var resolver = sp.GetRequiredService<IHostResolver>();
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = (context, ct) => ConnectGuardedAsync(guard, resolver, context, ct),
                };
            });
    }

    private static void AddSourceClient(IServiceCollection services, string name, bool guarded)
    {
        services.AddHttpClient(name, (sp, client) =>
            {
                // The fetcher bounds the whole answer itself (headers and body); this would only cut it short.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent(sp.GetRequiredService<IOptions<RadarOptions>>().Value));
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<FetchOptions>>().Value;
                var handler = new SocketsHttpHandler
                {
                    AllowAutoRedirect = options.MaxRedirects > 0,
                    MaxAutomaticRedirections = Math.Max(1, options.MaxRedirects),
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                };
                if (guarded)
                {
                    var guard = AddressGuard.FromOptions(options);
                    var resolver = sp.GetRequiredService<IHostResolver>();
                    // A proxy would make the connect callback see the proxy, not the source.
                    handler.UseProxy = false;
                    handler.ConnectCallback = (context, ct) => ConnectGuardedAsync(guard, resolver, context, ct);
                }

                return handler;
            })
            .AddResilienceHandler("fetch", (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<FetchOptions>>().Value;
                if (options.Retries <= 0)
                {
                    return;
                }

                builder.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.Retries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryDelay,
                    MaxDelay = options.MaxRetryAfterWait,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, options)),
                });
            });
    }

    /// <summary>Transient failures are retried within a fetch; a refused address, a long
    /// <c>Retry-After</c> and client errors are not (the source is deferred instead).</summary>
    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, FetchOptions options)
    {
        if (outcome.Exception is { } exception)
        {
            return exception is HttpRequestException && exception.InnerException is not AddressRefusedException;
        }

        if (outcome.Result is not { } response || !HttpClientResiliencePredicates.IsTransient(outcome))
        {
            return false;
        }

        return SourceFetcher.RetryAfter(response) is not { } wait || wait <= options.MaxRetryAfterWait;
    }

    private static async ValueTask<Stream> ConnectGuardedAsync(
        AddressGuard guard, IHostResolver resolver, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await resolver.ResolveAsync(host, cancellationToken);
        var allowed = addresses.Where(a => guard.RefusalFor(a) is null).ToArray();
        if (allowed.Length == 0)
        {
            var first = addresses.FirstOrDefault();
            throw new AddressRefusedException(first is null
                ? $"{host} does not resolve to any address."
                : (literal is null ? $"{host} resolves to {first}," : $"{first} is") +
                  $" {guard.RefusalFor(first)}, which sources added through the API may not reach " +
                  "(settings Radar__Fetch__AllowPrivateNetworks, Radar__Fetch__AllowedNetworks).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
