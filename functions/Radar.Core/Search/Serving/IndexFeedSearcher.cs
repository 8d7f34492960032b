using Radar.Core.Search.Replication;
using Radar.Core.Syndication;

namespace Radar.Core.Search.Serving;

/// <summary>Full-text feed queries (<c>/api/feed.rss?q=…</c>, what "Diese Suche als RSS
/// abonnieren" links) answered by this instance's replica, held for the query's duration.</summary>
public sealed class IndexFeedSearcher(IndexReplica replica) : IFeedSearcher
{
    public async Task<IReadOnlyList<FeedHit>?> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        using var use = replica.Acquire();
        return use is null ? null : await new RadarIndexFeedSearcher(() => use.Index).SearchAsync(request, cancellationToken);
    }
}
