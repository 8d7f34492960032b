using Microsoft.AspNetCore.Http;
using Radar.Core.Ingest;
using Radar.Core.Sources;

namespace Radar.Functions.Http;

/// <summary>What the admin ingest endpoints share: reading <c>?force=</c>, and answering a run
/// refused because another one holds the lease with 409 (who holds it and since when).</summary>
internal static class AdminIngest
{
    /// <summary>The run mode from <c>?force=</c> (true: <see cref="SourceRunMode.Full"/>, else
    /// <see cref="SourceRunMode.Now"/>), or null with a 400 problem.</summary>
    public static SourceRunMode? ReadMode(HttpRequest request, out IResult problem)
    {
        problem = Results.Empty;
        var force = request.Query["force"].ToString();
        if (force.Length == 0)
        {
            return SourceRunMode.Now;
        }

        if (!bool.TryParse(force, out var full))
        {
            problem = Problems.BadRequest("'force' must be true or false.");
            return null;
        }

        return full ? SourceRunMode.Full : SourceRunMode.Now;
    }

    public static IResult Answer<T>(HttpRequest request, string kind, IngestLeaseHolder? alreadyRunning, T report)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return alreadyRunning is { } holder
            ? Problems.Conflict(
                $"The {kind} ingest is already running on {holder.Owner}" +
                (holder.Since is { } since ? $" since {since:u}." : ".") + " Try again when it has finished.",
                new Dictionary<string, object?> { ["holder"] = holder.Owner, ["since"] = holder.Since })
            : TypedResults.Ok(report);
    }
}
