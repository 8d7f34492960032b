using System.Text.Json.Serialization;

namespace Radar.Core.Health;

/// <summary>What <c>GET /api/health</c> answers.</summary>
public sealed record HealthReport(
    string Status,
    string Version,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    StorageHealth Storage,
    IReadOnlyDictionary<string, object?> Components)
{
    [JsonIgnore]
    public bool StorageReachable => Storage.Status == HealthStatus.Ok;
}

public sealed record StorageHealth(
    string Status,
    string Setting,
    string? Account,
    string Tables,
    string Blobs,
    string? Error);

public static class HealthStatus
{
    public const string Ok = "ok";
    public const string Degraded = "degraded";
    public const string Unavailable = "unavailable";
}

/// <summary>
/// A part of Radar that reports its own state under its name in the health answer
/// (sources, the search index). A failing contributor degrades health; it never breaks it.
/// </summary>
public interface IHealthContributor
{
    string Name { get; }

    Task<HealthContribution> CheckAsync(CancellationToken cancellationToken);
}

public sealed record HealthContribution(bool Healthy, object? Details);
