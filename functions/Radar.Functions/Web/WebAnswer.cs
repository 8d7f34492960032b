using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Radar.Pages.Rendering;

namespace Radar.Functions.Web;

/// <summary>
/// The one writer of Radar's HTTP answers, under both hosts (there is no worker middleware; see
/// docs/architecture.md): status, the route's <see cref="ResponsePolicy"/> (caching, CORS,
/// security headers), validators and the 304 (<see cref="Validators.IsNotModified"/>), and the
/// body — except to <c>HEAD</c>, which gets the same headers (<c>Content-Length</c> included)
/// and no body.
/// </summary>
public sealed class WebAnswer : IResult
{
    private readonly int _status;
    private readonly Representation? _body;
    private readonly ResponsePolicy _policy;
    private readonly bool _validators;
    private readonly IReadOnlyList<(string Name, string Value)> _headers;

    private WebAnswer(int status, Representation? body, ResponsePolicy policy, bool validators, IReadOnlyList<(string Name, string Value)>? headers = null)
    {
        _status = status;
        _body = body;
        _policy = policy;
        _validators = validators;
        _headers = headers ?? [];
    }

    /// <summary>200 with <c>ETag</c>, <c>Last-Modified</c> and the policy's <c>Cache-Control</c>,
    /// or 304 when the client's copy is current.</summary>
    public static WebAnswer Ok(Representation body, ResponsePolicy policy) => new(StatusCodes.Status200OK, body, policy, validators: true);

    /// <summary>An answer that is not reused: no validators, the policy's uncached <c>Cache-Control</c>.</summary>
    public static WebAnswer Uncached(int status, Representation? body, ResponsePolicy policy, params (string Name, string Value)[] headers) =>
        new(status, body, policy, validators: false, headers);

    public static WebAnswer Json<T>(T value, ResponsePolicy policy, int status = StatusCodes.Status200OK) =>
        Uncached(status, Representation.Json(value), policy);

    /// <summary>A problem+json error with its <c>Retry-After</c> or <c>Allow</c>.</summary>
    public static WebAnswer Error(Problem problem, ResponsePolicy policy)
    {
        var headers = new List<(string Name, string Value)>();
        if (problem.RetryAfter is { } retryAfter)
        {
            headers.Add((HeaderNames.RetryAfter, ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture)));
        }

        if (problem.Allow is { } allow)
        {
            headers.Add((HeaderNames.Allow, allow));
        }

        return new WebAnswer(problem.Status, problem.ToRepresentation(), policy, validators: false, headers);
    }

    /// <summary>A rendered page: a 200 is reused and revalidated; the 400, 404, 405 and 503 pages
    /// are not (and carry <paramref name="headers"/>, the 405 its <c>Allow</c>).</summary>
    public static WebAnswer Page(RenderedPage page, ResponsePolicy policy, params (string Name, string Value)[] headers)
    {
        var html = new Representation(System.Text.Encoding.UTF8.GetBytes(page.Html), "text/html; charset=utf-8");
        return page.StatusCode == StatusCodes.Status200OK ? Ok(html, policy) : Uncached(page.StatusCode, html, policy, headers);
    }

    /// <summary>The same answer with more headers (sent with a 304 too): what the edge adds to
    /// every answer of a route, such as <c>Radar-Snapshot</c>.</summary>
    public WebAnswer With(params (string Name, string Value)[] headers) =>
        headers.Length == 0 ? this : new(_status, _body, _policy, _validators, [.. _headers, .. headers]);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        _policy.Apply(response.Headers);
        foreach (var (name, value) in _headers)
        {
            response.Headers[name] = value;
        }

        if (_body is { Links.Count: > 0 })
        {
            response.Headers.Link = new Microsoft.Extensions.Primitives.StringValues([.. _body.Links]);
        }

        if (_validators && _body is not null)
        {
            response.Headers.CacheControl = _policy.CacheControl;
            response.Headers.ETag = _body.ETag;
            if (_body.LastModified is { } modified)
            {
                response.Headers.LastModified = HeaderUtilities.FormatDate(Validators.ToSeconds(modified));
            }

            if (Validators.IsNotModified(httpContext.Request, _body.ETag, _body.LastModified))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }
        }
        else
        {
            response.Headers.CacheControl = _policy.Uncached;
        }

        response.StatusCode = _status;
        if (_body is null)
        {
            return Task.CompletedTask;
        }

        response.ContentType = _body.ContentType;
        if (_body.ContentDisposition is { } disposition)
        {
            response.Headers.ContentDisposition = disposition;
        }

        response.ContentLength = _body.Body.Length;
        return HttpMethods.IsHead(httpContext.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(_body.Body, httpContext.RequestAborted).AsTask();
    }
}
