using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Radar.Core.WebSub;

/// <summary>
/// Does the hub's queued work, one message at a time (the queue function calls
/// <see cref="HandleAsync"/>): verifies intents, delivers new entries, tells subscribers they were
/// denied. A failed delivery is sent again by re-queueing it with an exponentially growing,
/// jittered visibility delay, for <see cref="WebSubOptions.RetryFor"/>; it does not throw, so
/// the host's own fixed-delay retry and poison queue are left for storage trouble.
/// </summary>
public sealed class WebSubWorker(
    SubscriptionStore store,
    HubQueue queue,
    CallbackClient callbacks,
    TopicFeeds topics,
    WebSubHub hub,
    IOptions<WebSubOptions> options,
    TimeProvider clock,
    ILogger<WebSubWorker> logger)
{
    public async Task HandleAsync(string message, CancellationToken cancellationToken)
    {
        if (HubMessage.Parse(message) is not { } work)
        {
            logger.LogError("A WebSub queue message is not one the hub wrote; dropped: {Message}", message.Length > 200 ? message[..200] : message);
            return;
        }

        switch (work.Kind)
        {
            case HubMessage.Verify:
                await VerifyAsync(work, cancellationToken);
                break;
            case HubMessage.Deliver:
                await DeliverAsync(work, cancellationToken);
                break;
            case HubMessage.Deny:
                await callbacks.GetAsync(CallbackClient.WithQuery(work.Callback,
                    [("hub.mode", "denied"), ("hub.topic", work.Topic), ("hub.reason", work.Reason ?? "")]), cancellationToken);
                break;
            default:
                logger.LogError("A WebSub queue message has the unknown kind '{Kind}'; dropped", work.Kind);
                break;
        }
    }

    /// <summary>The verification of intent: only a 2xx whose body is exactly the challenge
    /// confirms it. A failed one stores nothing (a renewal keeps the subscription as it was).</summary>
    private async Task VerifyAsync(HubMessage work, CancellationToken cancellationToken)
    {
        var challenge = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var parameters = new List<(string, string)> { ("hub.mode", work.Mode!), ("hub.topic", work.Topic), ("hub.challenge", challenge) };
        if (work.Mode == "subscribe")
        {
            parameters.Add(("hub.lease_seconds", work.LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var answer = await callbacks.GetAsync(CallbackClient.WithQuery(work.Callback, parameters), cancellationToken);
        if (!answer.IsSuccess || !string.Equals(answer.Body, challenge, StringComparison.Ordinal))
        {
            logger.LogInformation("WebSub {Mode} of {Callback} to {Topic} not verified: {Reason}", work.Mode, work.Callback, work.Topic,
                answer.Error ?? "the answer did not echo the challenge");
            return;
        }

        var topicKey = WebSubTopic.KeyOf(work.Topic);
        var callbackKey = SubscriptionStore.CallbackKeyOf(work.Callback);
        if (work.Mode == "unsubscribe")
        {
            await store.DeleteAsync(topicKey, callbackKey, cancellationToken);
            await store.DeleteTopicIfUnusedAsync(topicKey, cancellationToken);
            return;
        }

        var now = clock.GetUtcNow();
        var keep = options.Value.RememberedEntries;
        var topic = await store.TopicAsync(topicKey, cancellationToken);
        IReadOnlyList<string> current = topic?.Seen ?? [];
        if (topic is null)
        {
            // From now on: what the feed shows at subscription time is not news to the subscriber.
            var selection = await topics.SelectAsync(work.RequestJson!, cancellationToken);
            current = TopicFeeds.Remember(selection?.Entries.Select(e => e.Id) ?? [], [], keep);
            await store.SaveTopicAsync(new TopicState(topicKey, work.Topic, work.Format!, work.RequestJson!, current), cancellationToken);
        }

        var existing = await store.GetAsync(topicKey, callbackKey, cancellationToken);
        var subscription = (existing ?? new Subscription(topicKey, callbackKey, work.Topic, work.Format!, work.RequestJson!, work.Callback, null, now, now, current))
            with
        {
            Secret = work.Secret,
            LeaseEnds = now.AddSeconds(work.LeaseSeconds),
        };
        await store.SaveAsync(subscription with { ETag = default }, cancellationToken);
        logger.LogInformation("WebSub subscription of {Callback} to {Topic} verified, lease until {LeaseEnds:u}", work.Callback, work.Topic, subscription.LeaseEnds);
    }

    private async Task DeliverAsync(HubMessage work, CancellationToken cancellationToken)
    {
        var topicKey = WebSubTopic.KeyOf(work.Topic);
        var callbackKey = SubscriptionStore.CallbackKeyOf(work.Callback);
        var subscription = await store.GetAsync(topicKey, callbackKey, cancellationToken);
        var now = clock.GetUtcNow();
        if (subscription is null)
        {
            return;
        }

        if (subscription.LeaseEnds <= now)
        {
            await store.DeleteAsync(topicKey, callbackKey, cancellationToken);
            await store.DeleteTopicIfUnusedAsync(topicKey, cancellationToken);
            return;
        }

        if (hub.BaseUrl is not { } baseUrl || hub.HubUrl is not { } hubUrl)
        {
            return;
        }

        if (!await topics.WaitForGenerationAsync(work.Lineage, work.Generation, work.PublishedAt, options.Value.GenerationWait, cancellationToken))
        {
            // The host tries the message again (and parks it in the poison queue if this never loads).
            throw new TimeoutException($"This instance did not load generation {work.Generation} within {options.Value.GenerationWait}.");
        }

        var selection = await topics.SelectAsync(subscription.RequestJson, cancellationToken);
        var delivered = subscription.Delivered.ToHashSet(StringComparer.Ordinal);
        var fresh = selection?.Entries.Where(e => !delivered.Contains(e.Id)).ToList() ?? [];
        if (selection is null || fresh.Count == 0)
        {
            return;
        }

        var (body, contentType, links) = TopicFeeds.Render(selection with { Entries = fresh }, baseUrl, hubUrl, TopicFormat.ByName(subscription.Format));
        var answer = await callbacks.PostAsync(new Uri(subscription.Callback), body, contentType, links, subscription.Secret, cancellationToken);
        now = clock.GetUtcNow();
        if (answer.IsSuccess)
        {
            await UpdateAsync(topicKey, callbackKey, s => s with
            {
                Delivered = TopicFeeds.Remember(fresh.Select(e => e.Id), s.Delivered, options.Value.RememberedEntries),
                LastDelivery = now,
                LastStatus = answer.Status,
                Failures = 0,
                FailingSince = null,
                LastError = null,
            }, cancellationToken);
            return;
        }

        if (answer.Status == 410)
        {
            logger.LogInformation("WebSub subscriber {Callback} answered 410 Gone: subscription to {Topic} ended", subscription.Callback, subscription.Topic);
            await store.DeleteAsync(topicKey, callbackKey, cancellationToken);
            await store.DeleteTopicIfUnusedAsync(topicKey, cancellationToken);
            return;
        }

        await UpdateAsync(topicKey, callbackKey, s => s with
        {
            LastStatus = answer.Status == 0 ? null : answer.Status,
            Failures = s.Failures + 1,
            FailingSince = s.FailingSince ?? now,
            LastError = answer.Error,
        }, cancellationToken);
        var first = work.FirstAttempt ?? now;
        var delay = RetryDelay(work.Attempt, answer.RetryAfter);
        if (now + delay - first > options.Value.RetryFor)
        {
            logger.LogWarning("WebSub delivery to {Callback} given up after {Attempts} attempts: {Error}", subscription.Callback, work.Attempt + 1, answer.Error);
            return;
        }

        await queue.SendAsync(work with { Attempt = work.Attempt + 1, FirstAttempt = first }, delay, cancellationToken);
    }

    /// <summary>Exponential back-off with full jitter in its upper half; a subscriber's longer
    /// <c>Retry-After</c> wins.</summary>
    private TimeSpan RetryDelay(int attempt, TimeSpan? retryAfter)
    {
        var settings = options.Value;
        var exponential = Math.Min(settings.RetryMaxDelay.TotalSeconds, settings.RetryDelay.TotalSeconds * Math.Pow(2, Math.Min(attempt, 30)));
        var jittered = TimeSpan.FromSeconds(exponential * (0.5 + (Random.Shared.NextDouble() / 2)));
        return retryAfter is { } wait && wait > jittered ? TimeSpan.FromSeconds(Math.Min(wait.TotalSeconds, settings.RetryMaxDelay.TotalSeconds)) : jittered;
    }

    private async Task UpdateAsync(string topicKey, string callbackKey, Func<Subscription, Subscription> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await store.GetAsync(topicKey, callbackKey, cancellationToken) is not { } current
                || await store.SaveAsync(change(current), cancellationToken))
            {
                return;
            }
        }
    }
}
