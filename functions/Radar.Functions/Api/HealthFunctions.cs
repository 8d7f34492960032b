using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Health;
using Radar.Functions.Web;

namespace Radar.Functions.Api;

/// <summary>
/// Health, twice. <c>GET /api/health</c>, public and never cached: the state of storage and of
/// every component (ok, degraded, unavailable) and what they count — no messages, addresses or
/// exception texts, which would tell anyone how Radar is built inside. With a snapshot loaded,
/// storage out of reach is <c>degraded</c> and 200 (every public route still answers from it);
/// with none loaded, storage out of reach or misconfigured (or the load failing) is a 503 problem
/// naming the setting, status <c>unavailable</c>. The details are logged where they happen
/// and shown by <c>GET /api/admin/health</c> (function key): each source with its URL, last error
/// and back-off, the index commit served and published, why storage cannot be reached. That one
/// is always 200 with the report (its <c>status</c> says unavailable): it is read to find out why.
/// </summary>
public sealed class HealthFunctions(HealthService health)
{
    [Function("AdminHealth")]
    public async Task<IResult> Admin(
        [HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "api/admin/health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        WebAnswer.Json(await health.CheckAsync(cancellationToken), ResponsePolicy.Admin);

    [Function("Health")]
    public async Task<IResult> Public(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (HttpMethods.IsOptions(request.Method))
        {
            return Cors.Preflight();
        }

        var report = await health.CheckAsync(cancellationToken);
        var states = PublicHealth.From(report);
        if (report.Status == HealthStatus.Unavailable)
        {
            var setting = report.Storage.Setting;
            var detail = report.StorageReachable
                ? "No published snapshot is loaded on this instance, and loading one fails."
                : report.Storage.Tables == "not configured"
                    ? $"Setting '{setting}' is not a usable storage connection, and no published snapshot is loaded."
                    : $"Storage from setting '{setting}' is not reachable, and no published snapshot is loaded.";
            return WebAnswer.Error(Problem.Unavailable(
                detail + " The reason is in the log and at /api/admin/health.",
                TimeSpan.FromSeconds(10),
                new Dictionary<string, object?> { ["setting"] = setting, ["health"] = states }), ResponsePolicy.Live);
        }

        // Degraded (storage out of reach, a source failing) is still 200: the site answers.
        return WebAnswer.Json(states, ResponsePolicy.Live);
    }
}

/// <summary>What the public health answer shows: states and counts only.</summary>
public sealed record PublicHealth(
    string Status,
    string Version,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    PublicStorageHealth Storage,
    IReadOnlyDictionary<string, ComponentState> Components)
{
    public static PublicHealth From(HealthReport report) => new(
        report.Status,
        report.Version,
        report.StartedAt,
        report.UptimeSeconds,
        new PublicStorageHealth(report.Storage.Status, report.Storage.Setting, report.Storage.Tables, report.Storage.Blobs),
        report.States);
}

public sealed record PublicStorageHealth(string Status, string Setting, string Tables, string Blobs);
