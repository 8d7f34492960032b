using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Radar.Core.Search.Replication;

namespace Radar.Core.Search.Serving;

/// <summary>An answer of <see cref="SearchService"/>: the value, or "no index loaded yet" (a 503
/// with <see cref="RetryAfter"/>).</summary>
public sealed record SearchAnswer<T>(T? Value, string? Unavailable, TimeSpan RetryAfter)
    where T : class;

/// <summary>Search and suggest over this instance's replica of the index. Never throws for a
/// query (the HTTP edge refuses bad parameters before asking): an index that is not loaded (or
/// fails) is "unavailable".</summary>
public sealed class SearchService(IndexReplica replica, IOptions<SearchOptions> options, ILogger<SearchService> logger)
{
    private TimeSpan RetryAfter => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(options.Value.RefreshInterval.TotalSeconds)));

    public SearchAnswer<SearchResponse> Search(SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Use(index => index.Search(request));
    }

    public SearchAnswer<SuggestResponse> Suggest(string? typed, string? radar = null) => Use(index => index.Suggest(typed ?? string.Empty, radar: radar));

    private SearchAnswer<T> Use<T>(Func<RadarIndex, T> run)
        where T : class
    {
        using var use = replica.Acquire();
        if (use is null)
        {
            return new SearchAnswer<T>(null, "The search index is being loaded; try again in a few seconds.", RetryAfter);
        }

        try
        {
            return new SearchAnswer<T>(run(use.Index), null, TimeSpan.Zero);
        }
        catch (IOException ex)
        {
            // Lucene's CorruptIndexException is an IOException: the loaded files are damaged or
            // gone. Reload them (into a fresh folder) or have them rebuilt.
            logger.LogError(ex, "Search failed reading the loaded index");
            replica.ReportFailure(ex);
            return new SearchAnswer<T>(null, "The search index is being repaired; try again in a few seconds.", RetryAfter);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug for this one query, not damaged files: reloading would not help, and a query
            // that fails this way must not make the instance reload its index on every request.
            logger.LogError(ex, "Search failed inside the index for one query");
            return new SearchAnswer<T>(null, "This search could not be answered; try again in a few seconds.", RetryAfter);
        }
    }
}
