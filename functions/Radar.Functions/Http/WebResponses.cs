using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Radar.Pages.Rendering;

namespace Radar.Functions.Http;

/// <summary>
/// Every HTML page, static asset and picture goes out through here, so each carries the same
/// security headers under both hosts (there is no worker middleware; see docs/architecture.md):
/// a Content-Security-Policy without inline script or style, <c>frame-ancestors 'none'</c>
/// unless a route is made for framing, <c>nosniff</c>, a referrer policy.
/// </summary>
public static class WebResponses
{
    /// <summary>Pages: scripts, styles, images and requests only from Radar itself; no inline
    /// script, no inline style (the pages have neither), no plugins, no base tag, forms only to
    /// Radar.</summary>
    public const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'";

    /// <summary>Assets and pictures: nothing may run or load from them.</summary>
    public const string ResourcePolicy = "default-src 'none'; base-uri 'none'; form-action 'none'";

    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    /// <summary>How long a page may be reused without asking again (the radar changes at most
    /// every ingest).</summary>
    public const string PageCaching = "public, max-age=60";

    /// <summary>An HTML page. <paramref name="framable"/> is for the embed route only (phase B):
    /// everything else refuses to be framed.</summary>
    public static IResult Page(RenderedPage page, bool framable = false) =>
        new SecuredResult(
            TypedResults.Content(page.Html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, page.StatusCode),
            PagePolicy,
            framable,
            page.StatusCode == StatusCodes.Status200OK ? PageCaching : "no-cache");

    /// <summary>An embedded asset. With its current hash in the path it is immutable for a year;
    /// under its plain name (or an old hash) it must be revalidated (ETag).</summary>
    public static IResult Asset(HttpRequest request, StaticAsset? asset, bool current)
    {
        if (asset is null)
        {
            return new SecuredResult(TypedResults.Text("Nicht gefunden.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound), ResourcePolicy, false, "no-cache");
        }

        var caching = current ? "public, max-age=31536000, immutable" : "no-cache";
        return Cached(request, asset.ETag, caching, ResourcePolicy, TypedResults.Bytes(asset.Content, asset.ContentType));
    }

    /// <summary>An SVG picture with an ETag from its bytes; conditional requests get a 304.
    /// Other sites may show it as an image (CORS and CORP allow it).</summary>
    public static IResult Svg(HttpRequest request, byte[] svg)
    {
        var etag = "\"" + Convert.ToBase64String(SHA256.HashData(svg))[..22].Replace('+', '-').Replace('/', '_') + "\"";
        var headers = request.HttpContext.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlExposeHeaders = "ETag";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        return Cached(request, etag, "public, max-age=300", ResourcePolicy, TypedResults.Bytes(svg, "image/svg+xml; charset=utf-8"));
    }

    /// <summary>A script other sites load (<c>/api/widget.js</c>): a stable URL, so it is cached
    /// briefly and revalidated (ETag); other origins may load it (CORS, CORP).</summary>
    public static IResult Script(HttpRequest request, StaticAsset asset)
    {
        var headers = request.HttpContext.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlExposeHeaders = "ETag";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        return Cached(request, asset.ETag, "public, max-age=300", ResourcePolicy, TypedResults.Bytes(asset.Content, asset.ContentType));
    }

    /// <summary>The headers every answer of this class carries.</summary>
    public static void ApplySecurityHeaders(HttpResponse response, string policy, bool framable)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = policy + (framable ? "; frame-ancestors *" : "; frame-ancestors 'none'");
        if (!framable)
        {
            headers.XFrameOptions = "DENY";
        }

        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = ReferrerPolicy;
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }

    private static SecuredResult Cached(HttpRequest request, string etag, string caching, string policy, IResult body)
    {
        var notModified = request.Headers.IfNoneMatch.Count > 0 &&
                          EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags) &&
                          tags.Any(t => t.Tag == "*" || t.Tag.Equals(etag, StringComparison.Ordinal)); // weak comparison (RFC 9110): W/"x" matches "x"
        request.HttpContext.Response.Headers.ETag = etag;
        return new SecuredResult(notModified ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : body, policy, false, caching);
    }

    private sealed class SecuredResult(IResult inner, string policy, bool framable, string caching) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ApplySecurityHeaders(httpContext.Response, policy, framable);
            httpContext.Response.Headers.CacheControl = caching;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
