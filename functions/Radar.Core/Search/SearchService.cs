using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Radar.Core.Search.Replication;

namespace Radar.Core.Search;

/// <summary>An answer of <see cref="SearchService"/>: the value, or the parameters' errors
/// (a 400), or "no index loaded yet" (a 503 with <see cref="RetryAfter"/>).</summary>
public sealed record SearchAnswer<T>(T? Value, IReadOnlyList<SearchParameterError> Errors, string? Unavailable, TimeSpan RetryAfter)
    where T : class;

/// <summary>Search and suggest over this instance's replica of the index. Never throws for a
/// query: bad parameters are errors, an index that is not loaded (or fails) is "unavailable".</summary>
public sealed class SearchService(IndexReplica replica, IOptions<SearchOptions> options, ILogger<SearchService> logger)
{
    private TimeSpan RetryAfter => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(options.Value.RefreshInterval.TotalSeconds)));

    public SearchAnswer<SearchResponse> Search(SearchParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var validation = parameters.Validate();
        return validation.Request is { } request
            ? Use(index => index.Search(request))
            : new SearchAnswer<SearchResponse>(null, validation.Errors, null, TimeSpan.Zero);
    }

    public SearchAnswer<SuggestResponse> Suggest(string? typed) => Use(index => index.Suggest(typed ?? string.Empty));

    private SearchAnswer<T> Use<T>(Func<RadarIndex, T> run)
        where T : class
    {
        using var use = replica.Acquire();
        if (use is null)
        {
            return new SearchAnswer<T>(null, [], "The search index is being loaded; try again in a few seconds.", RetryAfter);
        }

        try
        {
            return new SearchAnswer<T>(run(use.Index), [], null, TimeSpan.Zero);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not the query's fault (queries cannot fail): the loaded files are. Reload them.
            logger.LogError(ex, "Search failed inside the index");
            replica.ReportFailure(ex);
            return new SearchAnswer<T>(null, [], "The search index is being repaired; try again in a few seconds.", RetryAfter);
        }
    }
}
