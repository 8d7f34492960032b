using Radar.Core.Search.Replication;
using Radar.Core.Syndication;

namespace Radar.Core.WebSub;

/// <summary>A topic's entries as its feed shows them, once this instance has loaded a given
/// snapshot generation, and rendered in the topic's own format with the hub's links.</summary>
public sealed class TopicFeeds(FeedService feeds, IndexReplica replica, TimeProvider clock)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until the replica of this instance serves the commit published at
    /// <paramref name="publishedAt"/> (or a later one); false when it does not within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForGenerationAsync(string? lineage, long generation, DateTimeOffset? publishedAt, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + timeout;
        while (true)
        {
            using (var use = replica.Acquire())
            {
                if (use is not null && ((publishedAt is { } at && use.Manifest.PublishedAt >= at)
                    || (use.Manifest.Lineage == lineage && use.Manifest.Generation >= generation)
                    || (lineage is null && publishedAt is null)))
                {
                    return true;
                }
            }

            if (clock.GetUtcNow() >= deadline)
            {
                return false;
            }

            replica.Nudge();
            await Task.Delay(Poll, clock, cancellationToken);
        }
    }

    /// <summary>The commit this instance serves now, held until disposed; null while none is loaded.</summary>
    public IndexUse? Current() => replica.Acquire();

    public async Task<FeedSelection?> SelectAsync(string requestJson, CancellationToken cancellationToken) =>
        (await feeds.SelectAsync(WebSubTopic.ParseRequest(requestJson), cancellationToken)).Selection;

    public static (byte[] Body, string ContentType, IReadOnlyList<string> Links) Render(
        FeedSelection feed, Uri baseUrl, string hubUrl, TopicFormat format)
    {
        var links = new FeedLinks(baseUrl, format.Path, feed.Request) { Hub = hubUrl };
        return (format.Render(feed, links), format.ContentType, links.Headers);
    }

    /// <summary>The newest ids first, at most <paramref name="keep"/>.</summary>
    public static IReadOnlyList<string> Remember(IEnumerable<string> newest, IEnumerable<string> older, int keep) =>
        [.. newest.Concat(older).Distinct(StringComparer.Ordinal).Take(keep)];
}
