using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Options;
using Radar.Core.Sources;

namespace Radar.Core.WebSub;

/// <summary>A subscribe or unsubscribe request as the form gave it (the topic already bound and
/// made canonical by the caller, which knows the feeds' query parameters).</summary>
public sealed record HubRequest(string? Mode, WebSubTopic Topic, string? Callback, string? LeaseSeconds, string? Secret, string? ClientAddress);

/// <summary>Why a hub request was refused: the HTTP status, the form field, and a message.</summary>
public sealed record HubRefusal(int Status, string Field, string Message, TimeSpan? RetryAfter = null);

/// <summary>
/// The hub's front door and its admin: checks a subscribe or unsubscribe request (mode, callback
/// through the sources' address guard, lease, secret, limits, floods) and queues the verification
/// of intent — nothing is stored until the subscriber has echoed the challenge. Lists and removes
/// subscriptions for the admin routes (a removed subscriber is told <c>hub.mode=denied</c>).
/// </summary>
public sealed class WebSubHub(
    SubscriptionStore store,
    HubQueue queue,
    SourceUrlCheck urlCheck,
    IOptions<RadarOptions> radar,
    IOptions<WebSubOptions> options,
    TimeProvider clock)
{
    public const string Path = "api/websub";
    public const int MaxSecretBytes = 199;

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _recent = new(StringComparer.Ordinal);

    /// <summary>The public base URL topics live under; null: the hub is off (<c>Radar__PublicUrl</c> is not set).</summary>
    public Uri? BaseUrl =>
        Uri.TryCreate(radar.Value.PublicUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? new Uri(url.GetLeftPart(UriPartial.Authority) + url.AbsolutePath.TrimEnd('/') + "/")
            : null;

    /// <summary>The hub's URL for discovery; null when the hub is off.</summary>
    public string? HubUrl => BaseUrl is { } baseUrl ? new Uri(baseUrl, Path).AbsoluteUri : null;

    public async Task<HubRefusal?> RequestAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (request.Mode is not ("subscribe" or "unsubscribe"))
        {
            return Bad("hub.mode", string.IsNullOrEmpty(request.Mode)
                ? "'hub.mode' is required: subscribe or unsubscribe."
                : $"'hub.mode' must be subscribe or unsubscribe, not '{Shorten(request.Mode)}'.");
        }

        var (callback, refusal) = SourceUrlCheck.Parse(request.Callback);
        if (callback is null)
        {
            return Bad("hub.callback", "'hub.callback': " + refusal!.Reason.Replace("'url' is required: the absolute http(s) URL of the feed.", "is required: the absolute http(s) URL Radar sends to.", StringComparison.Ordinal));
        }

        var lease = settings.DefaultLeaseSeconds;
        if (!string.IsNullOrEmpty(request.LeaseSeconds))
        {
            if (!int.TryParse(request.LeaseSeconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out lease) || lease <= 0)
            {
                return Bad("hub.lease_seconds", $"'hub.lease_seconds' must be a positive whole number of seconds, not '{Shorten(request.LeaseSeconds)}'.");
            }

            lease = Math.Clamp(lease, settings.MinLeaseSeconds, settings.MaxLeaseSeconds);
        }

        if (request.Secret is { Length: > 0 } secret && Encoding.UTF8.GetByteCount(secret) > MaxSecretBytes)
        {
            return Bad("hub.secret", $"'hub.secret' must be shorter than 200 bytes (UTF-8); it has {Encoding.UTF8.GetByteCount(secret)}.");
        }

        if (await urlCheck.AddressRefusalAsync(callback, cancellationToken) is { } refused)
        {
            return Bad("hub.callback", "'hub.callback': " + refused.Reason);
        }

        var now = clock.GetUtcNow();
        if (Flooded("client:" + (request.ClientAddress ?? "?"), now) || Flooded("host:" + callback.Host, now))
        {
            return new HubRefusal(429, "hub.callback", $"Too many subscription requests from this client or for the host {callback.Host}; at most {settings.RequestsPerMinute} a minute.", TimeSpan.FromSeconds(60));
        }

        var canonical = callback.AbsoluteUri;
        if (request.Mode == "subscribe" && await store.GetAsync(request.Topic.Key, SubscriptionStore.CallbackKeyOf(canonical), cancellationToken) is null)
        {
            if ((await store.ListAsync(request.Topic.Key, cancellationToken)).Count >= settings.MaxPerTopic)
            {
                return new HubRefusal(403, "hub.topic", $"This topic has the most subscriptions the hub takes ({settings.MaxPerTopic}).");
            }

            if (await store.CountForHostAsync(callback.Host, cancellationToken) >= settings.MaxPerCallbackHost)
            {
                return new HubRefusal(403, "hub.callback", $"The host {callback.Host} has the most subscriptions the hub takes ({settings.MaxPerCallbackHost}).");
            }
        }

        await queue.SendAsync(new HubMessage
        {
            Kind = HubMessage.Verify,
            Mode = request.Mode,
            Topic = request.Topic.Url,
            Format = request.Topic.Format.Name,
            RequestJson = request.Topic.RequestJson(),
            Callback = canonical,
            LeaseSeconds = lease,
            Secret = string.IsNullOrEmpty(request.Secret) ? null : request.Secret,
        }, TimeSpan.Zero, cancellationToken);
        return null;
    }

    /// <summary>Subscriptions, of one topic (its canonical URL) or all, with their state.</summary>
    public async Task<IReadOnlyList<SubscriptionView>> ListAsync(string? topic, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var list = await store.ListAsync(topic is null ? null : WebSubTopic.KeyOf(topic), cancellationToken);
        return [.. list.OrderBy(s => s.Topic, StringComparer.Ordinal).ThenBy(s => s.Callback, StringComparer.Ordinal).Select(s => SubscriptionView.Of(s, now))];
    }

    /// <summary>Ends a subscription and tells the subscriber (<c>hub.mode=denied</c>); false when there is none.</summary>
    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        var parts = id.Split('.');
        if (parts.Length != 2 || await store.GetAsync(parts[0], parts[1], cancellationToken) is not { } subscription)
        {
            return false;
        }

        await store.DeleteAsync(subscription.TopicKey, subscription.CallbackKey, cancellationToken);
        await store.DeleteTopicIfUnusedAsync(subscription.TopicKey, cancellationToken);
        await queue.SendAsync(new HubMessage { Kind = HubMessage.Deny, Topic = subscription.Topic, Callback = subscription.Callback, Reason = "removed by the operator" }, TimeSpan.Zero, cancellationToken);
        return true;
    }

    private bool Flooded(string key, DateTimeOffset now)
    {
        var window = _recent.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (window)
        {
            while (window.Count > 0 && now - window.Peek() > TimeSpan.FromMinutes(1))
            {
                window.Dequeue();
            }

            if (window.Count >= options.Value.RequestsPerMinute)
            {
                return true;
            }

            window.Enqueue(now);
            return false;
        }
    }

    private static HubRefusal Bad(string field, string message) => new(400, field, message);

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}

/// <summary>A subscription as the admin route shows it (no secret).</summary>
public sealed record SubscriptionView(
    string Id, string Topic, string Callback, string State, DateTimeOffset Since, DateTimeOffset LeaseEnds,
    DateTimeOffset? LastDelivery, int? LastStatus, int Failures, DateTimeOffset? FailingSince, string? LastError, bool WithSecret)
{
    public static SubscriptionView Of(Subscription s, DateTimeOffset now) =>
        new(s.Id, s.Topic, s.Callback, s.State(now), s.Since, s.LeaseEnds, s.LastDelivery, s.LastStatus, s.Failures, s.FailingSince, s.LastError, s.Secret is not null);
}
