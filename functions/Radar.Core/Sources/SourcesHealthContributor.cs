using Radar.Core.Health;

namespace Radar.Core.Sources;

/// <summary>Every source's fetch state under <c>sources</c> in <c>/api/health</c>. A source whose
/// last attempt failed (state <c>failing</c>) or was read only in part (state <c>partial</c>, its
/// content broke; <c>lastError</c> says where) degrades health (the answer stays 200; only storage
/// makes it 503).</summary>
public sealed class SourcesHealthContributor(SourceStore store, TimeProvider clock) : IHealthContributor
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public string Name => "sources";

    public async Task<HealthContribution> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Budget);
        var stored = (await store.ListAsync(timeout.Token)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        // Sources from settings that no run has seen yet are listed too, as never fetched.
        foreach (var configured in store.FromSettings())
        {
            stored.TryAdd(configured.Id, configured);
        }

        var now = clock.GetUtcNow();
        var sources = stored.Values
            .OrderBy(s => s.Kind, StringComparer.Ordinal)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .Select(s => new SourceHealth(
                s.Id,
                s.Name,
                s.Url,
                s.Kind,
                s.Origin,
                s.Radar,
                State(s),
                s.LastOutcome,
                s.LastFetch,
                s.LastSuccess,
                s.LastError,
                s.LastErrorAt,
                s.ConsecutiveFailures,
                s.NextAttempt is { } next && next > now ? next : null,
                s.ETag,
                s.LastModified))
            .ToList();
        var problems = store.SettingsProblems;
        var healthy = sources.All(s => s.State is "ok" or "never-fetched") && problems.Count == 0;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["total"] = sources.Count,
            ["failing"] = sources.Count(s => s.State == "failing"),
            ["partial"] = sources.Count(s => s.State == "partial"),
            ["neverFetched"] = sources.Count(s => s.State == "never-fetched"),
            ["settingsProblems"] = problems.Count,
        };
        return new HealthContribution(healthy, new SourcesHealth(
            healthy ? HealthStatus.Ok : HealthStatus.Degraded, sources, problems.Count == 0 ? null : problems), counts);
    }

    private static string State(Source source) =>
        source.ConsecutiveFailures > 0 ? "failing"
        : source.LastOutcome == SourceOutcomes.Partial ? "partial"
        : source.LastFetch is null ? "never-fetched"
        : "ok";
}

public sealed record SourcesHealth(string Status, IReadOnlyList<SourceHealth> Items, IReadOnlyList<string>? SettingsProblems);

public sealed record SourceHealth(
    string Id,
    string? Name,
    string Url,
    string Kind,
    string Origin,
    string? Radar,
    string State,
    string? LastOutcome,
    DateTimeOffset? LastFetch,
    DateTimeOffset? LastSuccess,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int ConsecutiveFailures,
    DateTimeOffset? NextAttempt,
    string? ETag,
    string? LastModified);
