using Radar.Core.Search;

namespace Radar.Core.Syndication;

/// <summary>A hit of a full-text feed query: which change or news item.</summary>
public sealed record FeedHit(string Type, string Id);

/// <summary>
/// The full-text side of feeds: what <c>q</c> needs. The tables answer every other filter; a
/// query text needs the search index (<c>IndexFeedSearcher</c>, registered by <c>AddSearch</c>,
/// which every host calls). While no index is loaded, feeds with <c>q</c> answer 503.
/// </summary>
public interface IFeedSearcher
{
    /// <summary>Changes and news matching <paramref name="request"/>, newest first; null while no
    /// index is loaded.</summary>
    Task<IReadOnlyList<FeedHit>?> SearchAsync(SearchRequest request, CancellationToken cancellationToken);
}

/// <summary>Feed queries answered by a <see cref="RadarIndex"/> (changes and news, date sort).
/// The index must hold changes under their change id and news under their key.</summary>
public sealed class RadarIndexFeedSearcher(Func<RadarIndex?> index) : IFeedSearcher
{
    public Task<IReadOnlyList<FeedHit>?> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        if (index() is not { } loaded)
        {
            return Task.FromResult<IReadOnlyList<FeedHit>?>(null);
        }

        var response = loaded.Search(request with { Sort = SearchSort.Date, Page = 1 });
        IReadOnlyList<FeedHit> hits = [.. response.Hits.Select(h => new FeedHit(h.Type, h.Id))];
        return Task.FromResult<IReadOnlyList<FeedHit>?>(hits);
    }
}
