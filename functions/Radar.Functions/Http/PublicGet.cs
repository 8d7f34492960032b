using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Radar.Core;
using Radar.Core.Storage;

namespace Radar.Functions.Http;

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

/// <summary>A public answer's bytes: what is cached, hashed for the ETag and sent.</summary>
public sealed record Representation(byte[] Body, string ContentType, DateTimeOffset? LastModified);

/// <summary>What a public GET builds: a representation, or a problem (never cached).</summary>
public sealed record PublicAnswer(Representation? Representation, IResult? Problem)
{
    public static implicit operator PublicAnswer(Representation representation) => new(representation, null);

    public static PublicAnswer From(IResult problem) => new(null, problem);
}

/// <summary>
/// The one path of every public GET answer (the routes a browser, feed reader or widget calls):
/// <list type="bullet">
/// <item>validators: a strong <c>ETag</c> (a hash of the answer's bytes, so it changes exactly when
/// the answer does, and is the same on every instance) and <c>Last-Modified</c> (the newest data
/// behind the answer, when the route knows it);</item>
/// <item><c>If-None-Match</c> (weak comparison, <c>*</c>) and, without it, <c>If-Modified-Since</c>
/// answered with 304;</item>
/// <item>rendered answers kept per URL for <see cref="PublicGetOptions.CacheSeconds"/>, so a
/// conditional request within that time is answered from memory without touching storage, and
/// concurrent misses for one URL build it once;</item>
/// <item><c>Cache-Control: public, max-age</c>; CORS open for GET (<c>Access-Control-Allow-Origin: *</c>,
/// validators exposed) and the OPTIONS preflight;</item>
/// <item>problem+json for every error, with CORS and <c>no-store</c>; storage out of reach is a
/// 503 with <c>Retry-After</c>.</item>
/// </list>
/// Functions declare <c>"get", "options"</c> and hand their work to <see cref="AnswerAsync"/>.
/// </summary>
public sealed class PublicGet(IOptions<PublicGetOptions> options, IOptions<RadarOptions> radar, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider clock)
{
    public const string AllowedMethods = "GET, OPTIONS";

    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    /// <summary>The JSON the API writes (camelCase, nulls left out), as bytes.</summary>
    public Representation Json<T>(T value, DateTimeOffset? lastModified = null) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, json.Value.SerializerOptions), "application/json; charset=utf-8", lastModified);

    /// <summary>Where the site is reached: <c>Radar__PublicUrl</c>, else the request's scheme, host and path base.</summary>
    public Uri BaseUrl(HttpRequest request) =>
        Uri.TryCreate(radar.Value.PublicUrl, UriKind.Absolute, out var configured) && configured.Scheme is "http" or "https"
            ? configured
            : new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");

    public async Task<IResult> AnswerAsync(HttpRequest request, Func<CancellationToken, Task<PublicAnswer>> build, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsOptions(request.Method))
        {
            return new Preflight();
        }

        Entry entry;
        try
        {
            entry = await GetAsync(request, build, cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or StorageMisconfiguredException or TimeoutException)
        {
            return Error(Problems.Unavailable("Storage is not reachable right now; try again shortly.", TimeSpan.FromSeconds(30)));
        }

        if (entry.Problem is { } problem)
        {
            return Error(problem);
        }

        var notModified = IsNotModified(request, entry);
        return new Answer(entry, notModified, options.Value.MaxAgeSeconds);
    }

    /// <summary>For answers that must not be cached (health): CORS and <c>no-store</c> only.</summary>
    public static IResult Uncached(HttpRequest request, IResult result) =>
        HttpMethods.IsOptions(request.Method) ? new Preflight() : new WithHeaders(result, "no-store");

    /// <summary>An error answer: CORS (so a widget can read the message) and never stored.</summary>
    public static IResult Error(IResult problem) => new WithHeaders(problem, "no-store");

    private async Task<Entry> GetAsync(HttpRequest request, Func<CancellationToken, Task<PublicAnswer>> build, CancellationToken cancellationToken)
    {
        var seconds = options.Value.CacheSeconds;
        if (seconds <= 0)
        {
            return Entry.From(await build(cancellationToken), DateTimeOffset.MinValue);
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
                var built = Entry.From(await build(CancellationToken.None).WaitAsync(cancellationToken), pending.Expires);
                if (built.Problem is not null)
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

    private static bool IsNotModified(HttpRequest request, Entry entry)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            return EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags) &&
                   tags.Any(tag => tag.Tag == "*" || tag.Compare(entry.ETag, useStrongComparison: false));
        }

        return entry.LastModified is { } modified &&
               HeaderUtilities.TryParseDate(request.Headers.IfModifiedSince.ToString(), out var since) &&
               Truncate(modified) <= since;
    }

    private static DateTimeOffset Truncate(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static void SetCors(HttpResponse response)
    {
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlExposeHeaders = "ETag, Last-Modified, Retry-After, Location";
    }

    /// <summary>A rendered answer, or the problem it turned into; completed once.</summary>
    private sealed class Entry(DateTimeOffset expires)
    {
        private readonly TaskCompletionSource<Entry> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset Expires { get; } = expires;
        public Representation? Representation { get; private init; }
        public IResult? Problem { get; private init; }
        public EntityTagHeaderValue ETag { get; private init; } = EntityTagHeaderValue.Any;
        public string ETagText { get; private init; } = "";
        public DateTimeOffset? LastModified => Representation?.LastModified;
        public Task<Entry> Completed => _done.Task;

        public static Entry From(PublicAnswer answer, DateTimeOffset expires)
        {
            if (answer.Representation is not { } representation)
            {
                return new Entry(expires) { Problem = answer.Problem ?? Results.StatusCode(StatusCodes.Status500InternalServerError) };
            }

            var hash = SHA256.HashData(representation.Body);
            var text = "\"" + Convert.ToBase64String(hash, 0, 18).Replace('+', '-').Replace('/', '_') + "\"";
            return new Entry(expires) { Representation = representation, ETag = new EntityTagHeaderValue(text), ETagText = text };
        }

        public void Complete(Entry built) => _done.TrySetResult(built);

        public void Fail(Exception ex) => _done.TrySetException(ex);
    }

    private sealed class Answer(Entry entry, bool notModified, int maxAge) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            var representation = entry.Representation!;
            SetCors(response);
            response.Headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"public, max-age={maxAge}");
            response.Headers.ETag = entry.ETagText;
            if (representation.LastModified is { } modified)
            {
                response.Headers.LastModified = HeaderUtilities.FormatDate(Truncate(modified));
            }

            if (notModified)
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }

            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = representation.ContentType;
            response.ContentLength = representation.Body.Length;
            return HttpMethods.IsHead(httpContext.Request.Method)
                ? Task.CompletedTask
                : response.Body.WriteAsync(representation.Body, httpContext.RequestAborted).AsTask();
        }
    }

    private sealed class Preflight : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            SetCors(response);
            response.Headers.AccessControlAllowMethods = AllowedMethods;
            response.Headers.AccessControlAllowHeaders = "If-None-Match, If-Modified-Since, Accept";
            response.Headers.AccessControlMaxAge = "86400";
            response.Headers.Allow = AllowedMethods;
            response.Headers.CacheControl = "public, max-age=86400";
            response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }
    }

    private sealed class WithHeaders(IResult inner, string cacheControl) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            SetCors(httpContext.Response);
            httpContext.Response.Headers.CacheControl = cacheControl;
            return inner.ExecuteAsync(httpContext);
        }
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
