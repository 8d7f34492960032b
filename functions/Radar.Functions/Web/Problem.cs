using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Radar.Functions.Web;

/// <summary>
/// An error as <c>application/problem+json</c> (RFC 9457), the one error shape of <c>/api</c>:
/// bad parameters, unknown routes, wrong methods, conflicts, storage or index out of reach.
/// Titles are English (for developers), details say what to change. <see cref="WebAnswer.Error"/>
/// sends it (never cached; CORS where the route is open to other sites).
/// </summary>
public sealed record Problem(int Status, string Title, string Detail)
{
    public const string ContentType = "application/problem+json";

    /// <summary>Members beside the standard ones (<c>errors</c>, <c>holder</c>, <c>health</c>).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>503: when to ask again (<c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>405: the methods the resource takes (<c>Allow</c>).</summary>
    public string? Allow { get; init; }

    public static Problem BadRequest(string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status400BadRequest, "Bad request", detail) { Extensions = extensions };

    /// <summary>A query the binder refused: every message, and each parameter under <c>errors</c>.</summary>
    public static Problem InvalidQuery(IReadOnlyList<ParameterError> errors) =>
        BadRequest(string.Join(" ", errors.Select(e => e.Message)), new Dictionary<string, object?> { ["errors"] = errors });

    public static Problem NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not found", detail);

    public static Problem MethodNotAllowed(string detail, string allow) =>
        new(StatusCodes.Status405MethodNotAllowed, "Method not allowed", detail) { Allow = allow };

    public static Problem Conflict(string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status409Conflict, "Conflict", detail) { Extensions = extensions };

    /// <summary>409 while another run holds a lease: who holds it and since when.</summary>
    public static Problem AlreadyRunning(string what, string? holder, DateTimeOffset? since) =>
        Conflict(
            $"{what} {holder}" + (since is { } at ? $" since {at:u}." : ".") + " Try again when it has finished.",
            new Dictionary<string, object?> { ["holder"] = holder, ["since"] = since });

    public static Problem Unavailable(string detail, TimeSpan retryAfter, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail) { RetryAfter = retryAfter, Extensions = extensions };

    /// <summary>A status Core reports (400, 404, 501, 503) as a problem.</summary>
    public static Problem Of(int status, string detail, TimeSpan? retryAfter = null) => new(status, status switch
    {
        StatusCodes.Status400BadRequest => "Bad request",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status409Conflict => "Conflict",
        StatusCodes.Status500InternalServerError => "Internal server error",
        StatusCodes.Status501NotImplemented => "Not implemented",
        StatusCodes.Status503ServiceUnavailable => "Service unavailable",
        _ => "Error",
    }, detail)
    { RetryAfter = retryAfter };

    public Representation ToRepresentation()
    {
        var members = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["title"] = Title,
            ["status"] = Status,
            ["detail"] = Detail,
        };
        foreach (var (name, value) in Extensions ?? new Dictionary<string, object?>())
        {
            members[name] = value;
        }

        return new Representation(JsonSerializer.SerializeToUtf8Bytes(members, ApiJson.Options), ContentType);
    }
}
