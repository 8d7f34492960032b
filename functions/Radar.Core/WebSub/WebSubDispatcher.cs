using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Radar.Core.Search.Replication;

namespace Radar.Core.WebSub;

/// <summary>
/// After an ingest published a generation: runs each subscribed topic's feed over what that
/// generation holds, and for a topic that shows entries it has not shown before, queues one
/// delivery per live subscription, carrying the generation. The topic's shown ids are kept in its
/// row, so the next generation is compared with this one.
/// </summary>
public sealed class WebSubDispatcher(
    SubscriptionStore store,
    HubQueue queue,
    TopicFeeds topics,
    WebSubHub hub,
    IOptions<WebSubOptions> options,
    TimeProvider clock,
    ILogger<WebSubDispatcher> logger) : IIndexPublishedListener
{
    public async Task PublishedAsync(IndexPublishReport report, CancellationToken cancellationToken)
    {
        if (hub.BaseUrl is null)
        {
            return;
        }

        var subscribed = await store.TopicsAsync(cancellationToken);
        if (subscribed.Count == 0)
        {
            return;
        }

        // The manifest of the commit is what the replica compares with; its own publish time is the report's.
        if (!await topics.WaitForGenerationAsync(report.Lineage, report.Generation, null, options.Value.GenerationWait, cancellationToken))
        {
            logger.LogWarning("WebSub: generation {Generation} was not loaded in time; its topics are compared at the next one", report.Generation);
            return;
        }

        PublishedCommit commit;
        using (var use = topics.Current())
        {
            commit = new PublishedCommit(use?.Manifest.Lineage ?? report.Lineage, use?.Manifest.Generation ?? report.Generation, use?.Manifest.PublishedAt ?? report.At);
        }

        foreach (var topic in subscribed)
        {
            await DispatchAsync(topic, commit, cancellationToken);
        }
    }

    private async Task DispatchAsync(TopicState topic, PublishedCommit commit, CancellationToken cancellationToken)
    {
        var selection = await topics.SelectAsync(topic.RequestJson, cancellationToken);
        var seen = topic.Seen.ToHashSet(StringComparer.Ordinal);
        var fresh = selection?.Entries.Select(e => e.Id).Where(id => !seen.Contains(id)).ToList() ?? [];
        if (fresh.Count == 0)
        {
            return;
        }

        // The topic row first: a second publisher racing this one finds these entries seen.
        if (!await store.SaveTopicAsync(topic with { Seen = TopicFeeds.Remember(fresh, topic.Seen, options.Value.RememberedEntries) }, cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var live = (await store.ListAsync(topic.TopicKey, cancellationToken)).Where(s => s.LeaseEnds > now).ToList();
        await Parallel.ForEachAsync(live, new ParallelOptions { MaxDegreeOfParallelism = options.Value.FanOutParallelism, CancellationToken = cancellationToken }, async (subscription, ct) =>
            await queue.SendAsync(new HubMessage
            {
                Kind = HubMessage.Deliver,
                Topic = subscription.Topic,
                Callback = subscription.Callback,
                Lineage = commit.Lineage,
                Generation = commit.Generation,
                PublishedAt = commit.PublishedAt,
            }, TimeSpan.Zero, ct));
        logger.LogInformation("WebSub: {Count} new entries in {Topic}; {Subscribers} deliveries queued for generation {Generation}",
            fresh.Count, topic.Topic, live.Count, commit.Generation);
    }

    private sealed record PublishedCommit(string? Lineage, long Generation, DateTimeOffset PublishedAt);
}
