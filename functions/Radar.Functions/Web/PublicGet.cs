using System.Collections.Concurrent;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Radar.Core;
using Radar.Core.Search.Serving;
using Radar.Core.Storage;

namespace Radar.Functions.Web;

/// <summary>Settings under <c>Radar:Http</c>.</summary>
public sealed class PublicGetOptions
{
    public const string Section = "Radar:Http";

    /// <summary><c>Cache-Control: public, max-age</c> of public answers, in seconds.</summary>
    public int MaxAgeSeconds { get; set; } = 60;

    /// <summary>How long an instance keeps a rendered answer (and so its validator) before it
    /// builds it again; 0 builds every answer. Data changes show after at most this long.</summary>
    public int CacheSeconds { get; set; } = 5;

    /// <summary>Rendered answers kept at most; past that the cache starts over.</summary>
    public int CacheEntries { get; set; } = 2000;
}

/// <summary>What a public GET builds: a representation, or a problem (never cached).</summary>
public sealed record PublicAnswer(Representation? Representation, Problem? Problem)
{
    public static implicit operator PublicAnswer(Representation representation) => new(representation, null);

    public static implicit operator PublicAnswer(Problem problem) => new(null, problem);
}

/// <summary>
/// The path of every public API GET (the routes a feed reader, widget or newsroom's code calls):
/// <c>OPTIONS</c> is the CORS preflight; <c>GET</c> and <c>HEAD</c> build the answer once per URL
/// for <see cref="PublicGetOptions.CacheSeconds"/> (so conditional and repeated requests within
/// that time cost a dictionary lookup, and concurrent misses of one URL build it once) and send
/// it with <see cref="ResponsePolicy.Api"/> through <see cref="WebAnswer"/> (validators, 304, CORS).
/// Problems are never cached; storage out of reach is a 503 with <c>Retry-After</c>.
/// Functions declare <c>"get", "head", "options"</c> and hand their work to <see cref="AnswerAsync"/>.
/// </summary>
public sealed class PublicGet(IOptions<PublicGetOptions> options, IOptions<RadarOptions> radar, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    private ResponsePolicy Policy => ResponsePolicy.Api(options.Value.MaxAgeSeconds);

    /// <summary>Where the site is reached: <c>Radar__PublicUrl</c>, else the request's scheme, host and path base.</summary>
    public Uri BaseUrl(HttpRequest request) =>
        Uri.TryCreate(radar.Value.PublicUrl, UriKind.Absolute, out var configured) && configured.Scheme is "http" or "https"
            ? configured
            : new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");

    /// <summary>Binds the query (<see cref="QueryBinder"/>) and builds the answer from what it bound;
    /// a query it refuses is a 400 problem naming the parameters.</summary>
    public Task<IResult> AnswerAsync<T>(HttpRequest request, Func<QueryBinder, T> bind, Func<T, CancellationToken, Task<PublicAnswer>> build, CancellationToken cancellationToken) =>
        AnswerAsync(request, async ct =>
        {
            var query = QueryBinder.For(request);
            var parameters = bind(query);
            return query.IsValid ? await build(parameters, ct) : Problem.InvalidQuery(query.Errors);
        }, cancellationToken);

    public async Task<IResult> AnswerAsync(HttpRequest request, Func<CancellationToken, Task<PublicAnswer>> build, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsOptions(request.Method))
        {
            return Cors.Preflight();
        }

        PublicAnswer answer;
        try
        {
            answer = await GetAsync(request, build, cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or StorageMisconfiguredException or TimeoutException)
        {
            answer = Problem.Unavailable("Storage is not reachable right now; try again shortly.", TimeSpan.FromSeconds(30));
        }
        catch (SnapshotUnavailableException ex)
        {
            answer = Problem.Unavailable("No snapshot of the published index is loaded on this instance yet; try again shortly.", ex.RetryAfter);
        }

        return answer.Representation is { } representation
            ? WebAnswer.Ok(representation, Policy)
            : WebAnswer.Error(answer.Problem ?? Problem.Of(StatusCodes.Status500InternalServerError, "The answer could not be built."), Policy);
    }

    private async Task<PublicAnswer> GetAsync(HttpRequest request, Func<CancellationToken, Task<PublicAnswer>> build, CancellationToken cancellationToken)
    {
        var seconds = options.Value.CacheSeconds;
        if (seconds <= 0)
        {
            return await build(cancellationToken);
        }

        var key = string.Concat(request.Scheme, "://", request.Host.Value, request.PathBase.Value, request.Path.Value, request.QueryString.Value);
        var now = clock.GetUtcNow();
        while (true)
        {
            if (_cache.TryGetValue(key, out var cached) && cached.Expires > now)
            {
                return await cached.Completed;
            }

            if (_cache.Count >= options.Value.CacheEntries)
            {
                _cache.Clear();
            }

            // One build per URL at a time: concurrent requests wait for the same answer. The build
            // must not end with the first caller's cancellation.
            var pending = new Entry(now.AddSeconds(seconds));
            if (cached is null ? !_cache.TryAdd(key, pending) : !_cache.TryUpdate(key, pending, cached))
            {
                continue;
            }

            try
            {
                var built = await build(CancellationToken.None).WaitAsync(cancellationToken);
                if (built.Representation is null)
                {
                    _cache.TryRemove(new KeyValuePair<string, Entry>(key, pending));
                }

                pending.Complete(built);
                return built;
            }
            catch (Exception ex)
            {
                _cache.TryRemove(new KeyValuePair<string, Entry>(key, pending));
                pending.Fail(ex);
                throw;
            }
        }
    }

    /// <summary>An answer being built or built for one URL; completed once.</summary>
    private sealed class Entry(DateTimeOffset expires)
    {
        private readonly TaskCompletionSource<PublicAnswer> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset Expires { get; } = expires;

        public Task<PublicAnswer> Completed => _done.Task;

        public void Complete(PublicAnswer built) => _done.TrySetResult(built);

        public void Fail(Exception ex) => _done.TrySetException(ex);
    }
}

public static class PublicGetServices
{
    public static IServiceCollection AddPublicGet(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PublicGetOptions>().Bind(configuration.GetSection(PublicGetOptions.Section));
        services.AddSingleton<PublicGet>();
        return services;
    }
}
