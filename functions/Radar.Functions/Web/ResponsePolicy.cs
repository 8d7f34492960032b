using Microsoft.AspNetCore.Http;

namespace Radar.Functions.Web;

/// <summary>
/// How one kind of answer may be stored and shared: its <c>Cache-Control</c> (with validators, and
/// without them for errors and live state), whether other sites may read it (<see cref="Cors"/>)
/// or embed it (CORP), and the security headers of HTML and the files around it. Each route
/// names its policy; <see cref="WebAnswer"/> applies it, so the headers cannot drift apart.
/// No answer carries <c>Vary</c>: every answer depends on its URL alone (the format is in the
/// path, the base of absolute links is <c>Radar__PublicUrl</c> or the request's host, CORS is
/// <c>*</c> rather than the echoed origin, and Radar does not compress — a front end that does
/// adds its own <c>Vary: Accept-Encoding</c>).
/// </summary>
public sealed record ResponsePolicy
{
    /// <summary><c>Cache-Control</c> of an answer with validators (200 and 304).</summary>
    public required string CacheControl { get; init; }

    /// <summary><c>Cache-Control</c> of an answer without validators: errors, live state.</summary>
    public string Uncached { get; init; } = "no-store";

    /// <summary>Readable by scripts on other sites (the one <see cref="Cors"/> policy).</summary>
    public bool OpenToOtherSites { get; init; }

    /// <summary>Other sites may embed it as an image or script (<c>Cross-Origin-Resource-Policy: cross-origin</c>).</summary>
    public bool Embeddable { get; init; }

    /// <summary>HTML and the files around it: the Content-Security-Policy (and the other security
    /// headers); null for the JSON and XML of the API.</summary>
    public string? SecurityPolicy { get; init; }

    /// <summary>Only the embed page may be framed by other sites.</summary>
    public bool Framable { get; init; }

    /// <summary>Public API answers: cached for <paramref name="maxAgeSeconds"/> (<c>Radar__Http__MaxAgeSeconds</c>), open to every site.</summary>
    public static ResponsePolicy Api(int maxAgeSeconds) => new()
    {
        CacheControl = FormattableString.Invariant($"public, max-age={maxAgeSeconds}"),
        OpenToOtherSites = true,
    };

    /// <summary>Live state (health, the API's 404 and 405): never stored, open to every site.</summary>
    public static readonly ResponsePolicy Live = new() { CacheControl = "no-store", OpenToOtherSites = true };

    /// <summary>Admin routes (function key): never stored, for Radar's operators only.</summary>
    public static readonly ResponsePolicy Admin = new() { CacheControl = "no-store" };

    /// <summary>HTML pages: reused for a minute (the radar changes at most every ingest), errors revalidated.</summary>
    public static readonly ResponsePolicy Page = new()
    {
        CacheControl = "public, max-age=60",
        Uncached = "no-cache",
        SecurityPolicy = SecurityHeaders.PagePolicy,
    };

    /// <summary>The embed page, made to be framed by newsrooms.</summary>
    public static readonly ResponsePolicy EmbedPage = Page with { Framable = true };

    /// <summary><c>/api/radar.svg</c> and <c>/api/widget.js</c>: stable URLs other sites load, so
    /// cached briefly and revalidated.</summary>
    public static readonly ResponsePolicy Embedded = new()
    {
        CacheControl = "public, max-age=300",
        OpenToOtherSites = true,
        Embeddable = true,
        SecurityPolicy = SecurityHeaders.ResourcePolicy,
    };

    /// <summary>An asset under its current hash is immutable for a year; under its plain name
    /// (or an old hash) it must be revalidated.</summary>
    public static ResponsePolicy Asset(bool current) => new()
    {
        CacheControl = current ? "public, max-age=31536000, immutable" : "no-cache",
        Uncached = "no-cache",
        SecurityPolicy = SecurityHeaders.ResourcePolicy,
    };

    public void Apply(IHeaderDictionary headers)
    {
        if (OpenToOtherSites)
        {
            Cors.Apply(headers);
        }

        if (Embeddable)
        {
            headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        }

        if (SecurityPolicy is not null)
        {
            SecurityHeaders.Apply(headers, SecurityPolicy, Framable);
        }
    }
}

/// <summary>
/// The one CORS policy: every public answer (API, errors included, the SVG picture, the widget)
/// may be read from any origin, without credentials; the validators, <c>Retry-After</c>,
/// <c>Location</c>, <c>Content-Disposition</c> and the snapshot an answer comes from
/// (<c>Radar-Snapshot</c>, <c>Radar-Snapshot-Age</c>) are exposed; the preflight of a request with <c>If-None-Match</c> is answered.
/// Admin routes and pages carry no CORS headers.
/// </summary>
public static class Cors
{
    public const string PreflightMethods = "GET, HEAD, OPTIONS";

    public static void Apply(IHeaderDictionary headers)
    {
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlExposeHeaders = "ETag, Last-Modified, Retry-After, Location, Content-Disposition, Radar-Snapshot, Radar-Snapshot-Age";
    }

    /// <summary>204 to <c>OPTIONS</c>: what a cross-origin GET with validators may send.</summary>
    public static IResult Preflight() => new PreflightResult();

    private sealed class PreflightResult : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            Apply(headers);
            headers.AccessControlAllowMethods = PreflightMethods;
            headers.AccessControlAllowHeaders = "If-None-Match, If-Modified-Since, Accept";
            headers.AccessControlMaxAge = "86400";
            headers.Allow = PreflightMethods;
            headers.CacheControl = "public, max-age=86400";
            httpContext.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }
    }
}

/// <summary>Security headers of HTML and the files around it: a Content-Security-Policy without
/// inline script or style, <c>frame-ancestors 'none'</c> unless a route is made for framing,
/// <c>nosniff</c>, a referrer policy.</summary>
public static class SecurityHeaders
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

    public static void Apply(IHeaderDictionary headers, string policy, bool framable)
    {
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
}
