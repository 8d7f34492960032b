using Microsoft.AspNetCore.Http;

namespace Radar.Functions.Http;

/// <summary>
/// Errors as <c>application/problem+json</c> (RFC 9457), the one error shape of the API.
/// Titles are English (for developers), details say what to change.
/// </summary>
public static class Problems
{
    public static IResult BadRequest(string detail, IDictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status400BadRequest, "Bad request", detail, extensions);

    public static IResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Conflict(string detail, IDictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status409Conflict, "Conflict", detail, extensions);

    public static IResult Unavailable(string detail, TimeSpan retryAfter, IDictionary<string, object?>? extensions = null) =>
        new WithRetryAfter(Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail, extensions), retryAfter);

    public static IResult Problem(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    private sealed class WithRetryAfter(IResult inner, TimeSpan retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
