using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Radar.Core.Storage;

namespace Radar.Core.WebSub;

/// <summary>One piece of the hub's work on its queue: verify an intent, deliver a topic's new
/// entries to one subscriber, or tell a subscriber Radar ended its subscription.</summary>
public sealed record HubMessage
{
    public const string Verify = "verify";
    public const string Deliver = "deliver";
    public const string Deny = "deny";

    public required string Kind { get; init; }

    public required string Topic { get; init; }

    public required string Callback { get; init; }

    /// <summary>verify: <c>subscribe</c> or <c>unsubscribe</c>.</summary>
    public string? Mode { get; init; }

    public int LeaseSeconds { get; init; }

    /// <summary>verify (subscribe): the secret the subscription will be signed with.</summary>
    public string? Secret { get; init; }

    public string? Format { get; init; }

    public string? RequestJson { get; init; }

    /// <summary>deliver: the generation whose publication queued it (and when it was published);
    /// the delivery waits until this instance has loaded it.</summary>
    public string? Lineage { get; init; }

    public long Generation { get; init; }

    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>deliver: the attempt (0 first) and when the first one was.</summary>
    public int Attempt { get; init; }

    public DateTimeOffset? FirstAttempt { get; init; }

    /// <summary>deny: why.</summary>
    public string? Reason { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static HubMessage? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<HubMessage>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The hub's queue (named by the app setting <see cref="WebSubOptions.QueueSetting"/>,
/// the one the queue trigger reads), base64 as the host's extension expects.</summary>
public sealed class HubQueue(RadarStorage storage, IConfiguration configuration)
{
    public string Name => configuration[WebSubOptions.QueueSetting] is { Length: > 0 } name ? name : WebSubOptions.DefaultQueue;

    public async Task SendAsync(HubMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var queue = await storage.GetQueueAsync(Name, cancellationToken);
        await queue.SendMessageAsync(message.ToJson(), delay > TimeSpan.Zero ? delay : null, cancellationToken: cancellationToken);
    }

    /// <summary>Messages waiting (approximate, as the service counts them).</summary>
    public async Task<int> LengthAsync(CancellationToken cancellationToken)
    {
        var queue = await storage.GetQueueAsync(Name, cancellationToken);
        return (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
    }
}
