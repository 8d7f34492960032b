using System.Text.Json.Serialization;

namespace Radar.Core.Health;

/// <summary>Everything health knows, with the details an operator needs (errors, URLs, the
/// index commit): what <c>GET /api/admin/health</c> answers. The public <c>GET /api/health</c>
/// shows only <see cref="States"/> and the storage states.</summary>
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

    /// <summary>Each component's state and counts, without details: safe to show anyone.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, ComponentState> States { get; init; } = new Dictionary<string, ComponentState>();
}

/// <summary>A component's state (<see cref="HealthStatus"/>) and what it counts (sources per
/// state, documents per type), without messages.</summary>
public sealed record ComponentState(string Status, IReadOnlyDictionary<string, int>? Counts);

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

/// <param name="Details">What an operator needs to act (shown only by the admin route).</param>
/// <param name="Counts">Numbers safe to show publicly (no names, no messages).</param>
public sealed record HealthContribution(bool Healthy, object? Details, IReadOnlyDictionary<string, int>? Counts = null);
