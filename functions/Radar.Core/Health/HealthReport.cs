using System.Text.Json.Serialization;

namespace Radar.Core.Health;

/// <summary>Everything health knows, with the details an operator needs (errors, URLs, the
/// index commit): what <c>GET /api/admin/health</c> answers. The public <c>GET /api/health</c>
/// shows only <see cref="States"/> and the storage states. <see cref="Status"/>: <c>unavailable</c>
/// when no snapshot is loaded and storage or the load fails (public routes answer 503);
/// <c>degraded</c> when a component is, or storage is out of reach while the loaded snapshot
/// still answers; else <c>ok</c>.</summary>
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

    /// <summary>A published snapshot is loaded, so public routes answer (from it) whatever storage does.</summary>
    [JsonIgnore]
    public bool Serving { get; init; }

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
public sealed record HealthContribution(bool Healthy, object? Details, IReadOnlyDictionary<string, int>? Counts = null)
{
    /// <summary>For the component that holds what public routes answer from (the loaded
    /// snapshot): whether it holds one. Null for the others. With it loaded, storage out of reach
    /// only degrades health (the site answers from it); without it, the instance is unavailable.</summary>
    public bool? Serving { get; init; }
}
