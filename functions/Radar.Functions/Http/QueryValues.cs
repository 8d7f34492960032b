using Microsoft.AspNetCore.Http;

namespace Radar.Functions.Http;

/// <summary>Reading the query string the way the public routes do.</summary>
internal static class QueryValues
{
    /// <summary>Every value of a repeatable parameter (<c>area=a&amp;area=b</c>), empty ones as "".</summary>
    public static string[] All(IQueryCollection query, string name) => [.. query[name].Select(v => v ?? "")];

    /// <summary>The first value of a parameter, or null when it is absent.</summary>
    public static string? One(IQueryCollection query, string name) => query[name].Count == 0 ? null : query[name][0];
}
