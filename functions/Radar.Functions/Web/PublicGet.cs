using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Radar.Core;
using Radar.Core.Health;
using Radar.Core.Search.Serving;
using Radar.Core.Storage;
using Radar.Pages;
using Radar.Pages.Rendering;

namespace Radar.Functions.Web;

/// <summary>Settings under <c>Radar:Http</c>.</summary>
public sealed class PublicGetOptions
{
    public const string Section = "Radar:Http";

    /// <summary><c>Cache-Control: public, max-age</c> of public answers, in seconds.</summary>
    public int MaxAgeSeconds { get; set; } = 60;

    /// <summary>How long an instance keeps a rendered answer (and so its validator) before it
    /// builds it again; 0 builds every answer. A newly loaded snapshot generation is served at
    /// once whatever this says (the cache is keyed by generation).</summary>
    public int CacheSeconds { get; set; } = 5;

    /// <summary>Rendered answers kept at most; past that the oldest are evicted.</summary>
    public int CacheEntries { get; set; } = 2000;

    /// <summary>Bytes of rendered answers (body and URL) kept at most; past that the oldest are
    /// evicted. An answer larger than this is sent but not kept.</summary>
    public long CacheBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long a request on an instance that has not loaded a snapshot yet waits for the
    /// first load before it is answered 503.</summary>
    public double FirstLoadWaitSeconds { get; set; } = 10;
}

/// <summary>What a public GET builds: a representation, or a problem (never cached).</summary>
public sealed record PublicAnswer(Representation? Representation, Problem? Problem)
{
    public static implicit operator PublicAnswer(Representation representation) => new(representation, null);

    public static implicit operator PublicAnswer(Problem problem) => new(null, problem);
}

/// <summary>What the answer cache holds now, for the admin health and tests.</summary>
public sealed record AnswerCacheState(int Entries, long Bytes, long MaxBytes, int MaxEntries, int Seconds, long Evicted, string? Snapshot);

/// <summary>
/// The path of every public GET. <b>The gate</b> (<see cref="SnapshotGate"/>): every data route
/// (API, feeds, pages, embed, the SVG picture) answers from the published snapshot this instance
/// has loaded and names it (<c>Radar-Snapshot</c>, <c>Radar-Snapshot-Age</c>); before the first
/// load it is a 503 with <c>Retry-After</c>, problem+json on <c>/api</c> and the German 503 page
/// on page routes — as is <see cref="SnapshotUnavailableException"/> from a read. <b>The API</b>
/// (<see cref="AnswerAsync(HttpRequest, Func{CancellationToken, Task{PublicAnswer}}, CancellationToken)"/>):
/// <c>OPTIONS</c> is the CORS preflight; <c>GET</c> and <c>HEAD</c> build the answer once per URL
/// and snapshot generation for <see cref="PublicGetOptions.CacheSeconds"/> (so conditional and
/// repeated requests within that time cost a dictionary lookup, concurrent misses of one URL build
/// it once, and a new generation is served at once), in at most
/// <see cref="PublicGetOptions.CacheBytes"/>, and send it with <see cref="ResponsePolicy.Api"/>
/// through <see cref="WebAnswer"/> (validators, 304, CORS). Problems are never cached.
/// <b>Pages</b> (<see cref="PageAsync"/>) are gated and stamped alike, rendered per request.
/// </summary>
public sealed class PublicGet(
    IOptions<PublicGetOptions> options,
    IOptions<RadarOptions> radar,
    SnapshotGate gate,
    CitizenPages pages,
    ILogger<PublicGet> logger)
{
    private static readonly TimeSpan StorageRetryAfter = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    // Every change to the cache's content (and so to its byte count) is made under this lock; a
    // hit reads the dictionary without it. Misses pay a build anyway.
    private readonly Lock _writes = new();
    private long _bytes;
    private long _evicted;
    private SnapshotStamp? _generation;

    private ResponsePolicy Policy => ResponsePolicy.Api(options.Value.MaxAgeSeconds);

    /// <summary>Where the site is reached: <c>Radar__PublicUrl</c>, else the request's scheme, host and path base.</summary>
    public Uri BaseUrl(HttpRequest request) =>
        Uri.TryCreate(radar.Value.PublicUrl, UriKind.Absolute, out var configured) && configured.Scheme is "http" or "https"
            ? configured
            : new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");

    public AnswerCacheState CacheState()
    {
        lock (_writes)
        {
            var o = options.Value;
            return new AnswerCacheState(_cache.Count, _bytes, o.CacheBytes, o.CacheEntries, o.CacheSeconds, _evicted, _generation?.Value);
        }
    }

    /// <summary>Binds the query (<see cref="QueryBinder"/>) and builds the answer from what it bound;
    /// a query it refuses is a 400 problem naming the parameters.</summary>
    public Task<IResult> AnswerAsync<T>(HttpRequest request, Func<QueryBinder, T> bind, Func<T, CancellationToken, Task<PublicAnswer>> build, CancellationToken cancellationToken) =>
        AnswerAsync(request, async ct =>
        {
            var query = QueryBinder.For(request);
            var parameters = bind(query);
            return query.IsValid ? await build(parameters, ct) : Problem.InvalidQuery(query.Errors);
        }, cancellationToken);

    /// <summary>A public API answer built from the loaded snapshot: gated, cached, stamped.</summary>
    public async Task<IResult> AnswerAsync(HttpRequest request, Func<CancellationToken, Task<PublicAnswer>> build, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsOptions(request.Method))
        {
            return Cors.Preflight();
        }

        return await GatedAsync(
            async (stamp, ct) => Send(await GetAsync(request, stamp, build, ct), Policy),
            (detail, retryAfter) => Task.FromResult(WebAnswer.Error(Problem.Unavailable(detail, retryAfter), Policy)),
            cancellationToken);
    }

    /// <summary>A public API answer that does not come from the snapshot (the OpenAPI document):
    /// not gated, not stamped, not cached (it is built once anyway).</summary>
    public IResult AnswerFixed(HttpRequest request, Func<PublicAnswer> build) =>
        HttpMethods.IsOptions(request.Method) ? Cors.Preflight() : Send(build(), Policy);

    /// <summary>A data route that is not cached per URL (the SVG picture): gated and stamped; the
    /// 503 is a problem sent with <paramref name="policy"/>.</summary>
    public Task<IResult> GatedAsync(Func<CancellationToken, Task<WebAnswer>> answer, ResponsePolicy policy, CancellationToken cancellationToken) =>
        GatedAsync(
            (_, ct) => answer(ct),
            (detail, retryAfter) => Task.FromResult(WebAnswer.Error(Problem.Unavailable(detail, retryAfter), policy)),
            cancellationToken);

    /// <summary>A citizens' page from the loaded snapshot: gated (the German 503 page with
    /// <c>Retry-After</c> before the first load) and stamped; rendered per request.</summary>
    public Task<IResult> PageAsync(Func<CancellationToken, Task<RenderedPage>> render, ResponsePolicy policy, CancellationToken cancellationToken) =>
        GatedAsync(
            async (_, ct) => WebAnswer.Page(await render(ct), policy),
            async (_, retryAfter) => WebAnswer.Page(await pages.UnavailableAsync(), policy, RetryAfterHeader(retryAfter)),
            cancellationToken);

    private async Task<IResult> GatedAsync(
        Func<SnapshotStamp, CancellationToken, Task<WebAnswer>> answer,
        Func<string, TimeSpan, Task<WebAnswer>> unavailable,
        CancellationToken cancellationToken)
    {
        if (await gate.WaitAsync(cancellationToken) is not { } stamp)
        {
            return await unavailable("No published snapshot is loaded on this instance yet; try again shortly.", gate.RetryAfter);
        }

        WebAnswer result;
        try
        {
            result = await answer(stamp, cancellationToken);
        }
        catch (SnapshotUnavailableException ex)
        {
            logger.LogWarning("A public read found no snapshot to answer from: {Message}", ex.Message);
            result = await unavailable(ex.Message, ex.RetryAfter);
        }
        catch (Exception ex) when (ex is RequestFailedException or StorageMisconfiguredException or TimeoutException)
        {
            // A read that still goes to storage (none should: public reads come from the snapshot).
            logger.LogWarning(ex, "A public read failed in storage");
            result = await unavailable("Storage is not reachable right now; try again shortly.", StorageRetryAfter);
        }

        return result.With(stamp.Headers(gate.Now));
    }

    private static WebAnswer Send(PublicAnswer answer, ResponsePolicy policy) =>
        answer.Representation is { } representation
            ? WebAnswer.Ok(representation, policy)
            : WebAnswer.Error(answer.Problem ?? Problem.Of(StatusCodes.Status500InternalServerError, "The answer could not be built."), policy);

    private static (string Name, string Value) RetryAfterHeader(TimeSpan retryAfter) =>
        (HeaderNames.RetryAfter, ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture));

    private async Task<PublicAnswer> GetAsync(HttpRequest request, SnapshotStamp stamp, Func<CancellationToken, Task<PublicAnswer>> build, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.CacheSeconds <= 0 || o.CacheBytes <= 0 || o.CacheEntries <= 0)
        {
            return await build(cancellationToken);
        }

        // Only forward: a request admitted just before a newer load must not bring the old one back.
        if (!Equals(Volatile.Read(ref _generation), stamp) && Equals(gate.Current, stamp))
        {
            Forget(stamp);
        }

        var key = string.Concat(stamp.Value, " ", request.Scheme, "://", request.Host.Value, request.PathBase.Value, request.Path.Value, request.QueryString.Value);
        var now = gate.Now;
        while (true)
        {
            if (_cache.TryGetValue(key, out var cached) && cached.Expires > now)
            {
                return await cached.Completed;
            }

            // One build per URL at a time: concurrent requests wait for the same answer. The build
            // must not end with the first caller's cancellation.
            var pending = new Entry(key, stamp, now.AddSeconds(o.CacheSeconds));
            lock (_writes)
            {
                if (cached is null ? !_cache.TryAdd(key, pending) : !_cache.TryUpdate(key, pending, cached))
                {
                    continue;
                }

                _bytes -= cached?.Size ?? 0;
            }

            try
            {
                var built = await build(CancellationToken.None).WaitAsync(cancellationToken);
                pending.Complete(built);
                Keep(pending, built, stamp);
                return built;
            }
            catch (Exception ex)
            {
                Remove(pending);
                pending.Fail(ex);
                throw;
            }
        }
    }

    /// <summary>Counts a built answer's bytes and evicts what no longer fits; a problem, an answer
    /// too large for the cache, or one built while the next generation was loaded is not kept.</summary>
    private void Keep(Entry entry, PublicAnswer built, SnapshotStamp stamp)
    {
        var o = options.Value;
        var size = built.Representation is { } representation ? representation.Body.LongLength + (entry.Key.Length * sizeof(char)) : 0;
        if (built.Representation is null || size > o.CacheBytes || !Equals(gate.Current, stamp))
        {
            Remove(entry);
            return;
        }

        lock (_writes)
        {
            if (!_cache.TryGetValue(entry.Key, out var present) || present != entry)
            {
                return;
            }

            entry.Size = size;
            _bytes += size;
            if (_bytes > o.CacheBytes || _cache.Count > o.CacheEntries)
            {
                Evict(o);
            }
        }
    }

    /// <summary>Under the lock: expired answers and those of other generations go first, then the
    /// oldest until the cache is at 90 % of both bounds (so the next miss does not evict again).</summary>
    private void Evict(PublicGetOptions o)
    {
        var now = gate.Now;
        var byAge = _cache.Values.Where(e => e.Size > 0).OrderBy(e => e.Expires).ToList();
        var bytesGoal = o.CacheBytes / 10 * 9;
        var entriesGoal = Math.Max(1, o.CacheEntries / 10 * 9);
        foreach (var entry in byAge)
        {
            var dead = entry.Expires <= now || !Equals(entry.Stamp, _generation);
            if (!dead && _bytes <= bytesGoal && _cache.Count <= entriesGoal)
            {
                continue;
            }

            if (_cache.TryRemove(new KeyValuePair<string, Entry>(entry.Key, entry)))
            {
                _bytes -= entry.Size;
                _evicted++;
            }
        }
    }

    /// <summary>A new generation is loaded: nothing built from another one is served again.</summary>
    private void Forget(SnapshotStamp stamp)
    {
        lock (_writes)
        {
            if (Equals(_generation, stamp))
            {
                return;
            }

            _generation = stamp;
            foreach (var entry in _cache.Values)
            {
                if (!Equals(entry.Stamp, stamp) && _cache.TryRemove(new KeyValuePair<string, Entry>(entry.Key, entry)))
                {
                    _bytes -= entry.Size;
                }
            }
        }
    }

    private void Remove(Entry entry)
    {
        lock (_writes)
        {
            if (_cache.TryRemove(new KeyValuePair<string, Entry>(entry.Key, entry)))
            {
                _bytes -= entry.Size;
            }
        }
    }

    /// <summary>An answer being built or built for one URL and generation; completed once.
    /// <see cref="Size"/> is counted (under the lock) once it is built and kept.</summary>
    private sealed class Entry(string key, SnapshotStamp stamp, DateTimeOffset expires)
    {
        private readonly TaskCompletionSource<PublicAnswer> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Key { get; } = key;

        public SnapshotStamp Stamp { get; } = stamp;

        public DateTimeOffset Expires { get; } = expires;

        public long Size { get; set; }

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
        services.AddSingleton<SnapshotGate>();
        services.AddSingleton<PublicGet>();
        services.AddSingleton<IHealthContributor, AnswerCacheHealthContributor>();
        return services;
    }
}

/// <summary>The answer cache under <c>answerCache</c> in <c>GET /api/admin/health</c>: entries,
/// bytes against the bound, evictions, the generation it holds. Never a fault; no public counts.</summary>
public sealed class AnswerCacheHealthContributor(PublicGet answers) : IHealthContributor
{
    public string Name => "answerCache";

    public Task<HealthContribution> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new HealthContribution(true, answers.CacheState()));
}
