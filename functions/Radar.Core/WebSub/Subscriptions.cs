using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Radar.Core.Storage;

namespace Radar.Core.WebSub;

/// <summary>A verified subscription: who gets a topic's new entries, until when, and how
/// delivery has gone. <see cref="Delivered"/> are the entry ids the subscriber answered 2xx for
/// (the newest first): it never gets them again.</summary>
public sealed record Subscription(
    string TopicKey,
    string CallbackKey,
    string Topic,
    string Format,
    string RequestJson,
    string Callback,
    string? Secret,
    DateTimeOffset Since,
    DateTimeOffset LeaseEnds,
    IReadOnlyList<string> Delivered)
{
    public DateTimeOffset? LastDelivery { get; init; }

    public int? LastStatus { get; init; }

    public int Failures { get; init; }

    public DateTimeOffset? FailingSince { get; init; }

    public string? LastError { get; init; }

    /// <summary>The admin routes' id of the subscription.</summary>
    public string Id => TopicKey + "." + CallbackKey;

    public string State(DateTimeOffset now) => LeaseEnds <= now ? "expired" : Failures > 0 ? "failing" : "active";

    internal ETag ETag { get; init; }
}

/// <summary>A subscribed topic: the entry ids it has shown (the newest first), so a new
/// generation's new entries are told from those already there.</summary>
public sealed record TopicState(string TopicKey, string Topic, string Format, string RequestJson, IReadOnlyList<string> Seen)
{
    internal ETag ETag { get; init; }
}

/// <summary>Subscriptions and subscribed topics in the <c>websub</c> table: one partition per
/// topic, the topic's row and one row per callback.</summary>
public sealed class SubscriptionStore(RadarStorage storage)
{
    public const string TableName = "websub";
    private const string TopicRow = "topic";
    private const string SubscriptionPrefix = "s-";

    public static string CallbackKeyOf(string callback) => WebSubTopic.KeyOf(callback);

    public async Task<Subscription?> GetAsync(string topicKey, string callbackKey, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TableName, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(topicKey, SubscriptionPrefix + callbackKey, cancellationToken: cancellationToken);
        return found.HasValue ? ToSubscription(found.Value!) : null;
    }

    public async Task<IReadOnlyList<Subscription>> ListAsync(string? topicKey, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TableName, cancellationToken);
        var filter = topicKey is null
            ? TableClient.CreateQueryFilter($"RowKey ge {SubscriptionPrefix} and RowKey lt {"s."}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {topicKey} and RowKey ge {SubscriptionPrefix} and RowKey lt {"s."}");
        var list = new List<Subscription>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(ToSubscription(entity));
        }

        return list;
    }

    public async Task<int> CountForHostAsync(string host, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TableName, cancellationToken);
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CallbackHost eq {host}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            count++;
        }

        return count;
    }

    /// <summary>Writes the subscription; with its <see cref="Subscription.ETag"/> only if nobody changed it meanwhile.</summary>
    public async Task<bool> SaveAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TableName, cancellationToken);
        var entity = new TableEntity(subscription.TopicKey, SubscriptionPrefix + subscription.CallbackKey)
        {
            ["Topic"] = subscription.Topic,
            ["Format"] = subscription.Format,
            ["Request"] = subscription.RequestJson,
            ["Callback"] = subscription.Callback,
            ["CallbackHost"] = new Uri(subscription.Callback).Host,
            ["Secret"] = subscription.Secret,
            ["Since"] = subscription.Since,
            ["LeaseEnds"] = subscription.LeaseEnds,
            ["Delivered"] = JsonSerializer.Serialize(subscription.Delivered),
            ["LastDelivery"] = subscription.LastDelivery,
            ["LastStatus"] = subscription.LastStatus,
            ["Failures"] = subscription.Failures,
            ["FailingSince"] = subscription.FailingSince,
            ["LastError"] = subscription.LastError,
        };
        try
        {
            if (subscription.ETag == default)
            {
                await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
            }
            else
            {
                await table.UpdateEntityAsync(entity, subscription.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task<bool> DeleteAsync(string topicKey, string callbackKey, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TableName, cancellationToken);
        var response = await table.DeleteEntityAsync(topicKey, SubscriptionPrefix + callbackKey, ETag.All, cancellationToken);
        return response.Status != 404;
    }

    public async Task<IReadOnlyList<TopicState>> TopicsAsync(CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TableName, cancellationToken);
        var list = new List<TopicState>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {TopicRow}"), cancellationToken: cancellationToken))
        {
            list.Add(ToTopic(entity));
        }

        return list;
    }

    public async Task<TopicState?> TopicAsync(string topicKey, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TableName, cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(topicKey, TopicRow, cancellationToken: cancellationToken);
        return found.HasValue ? ToTopic(found.Value!) : null;
    }

    /// <summary>Writes the topic's row; with its ETag only if nobody changed it meanwhile, without
    /// one only if there is none yet.</summary>
    public async Task<bool> SaveTopicAsync(TopicState topic, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TableName, cancellationToken);
        var entity = new TableEntity(topic.TopicKey, TopicRow)
        {
            ["Topic"] = topic.Topic,
            ["Format"] = topic.Format,
            ["Request"] = topic.RequestJson,
            ["Seen"] = JsonSerializer.Serialize(topic.Seen),
        };
        try
        {
            if (topic.ETag == default)
            {
                await table.AddEntityAsync(entity, cancellationToken);
            }
            else
            {
                await table.UpdateEntityAsync(entity, topic.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    public async Task DeleteTopicIfUnusedAsync(string topicKey, CancellationToken cancellationToken)
    {
        if ((await ListAsync(topicKey, cancellationToken)).Count == 0)
        {
            var table = await storage.GetTableAsync(TableName, cancellationToken);
            await table.DeleteEntityAsync(topicKey, TopicRow, ETag.All, cancellationToken);
        }
    }

    private static Subscription ToSubscription(TableEntity e) =>
        new(e.PartitionKey, e.RowKey[SubscriptionPrefix.Length..], e.GetString("Topic"), e.GetString("Format"), e.GetString("Request"),
            e.GetString("Callback"), e.GetString("Secret"), e.GetDateTimeOffset("Since") ?? default, e.GetDateTimeOffset("LeaseEnds") ?? default,
            Ids(e.GetString("Delivered")))
        {
            LastDelivery = e.GetDateTimeOffset("LastDelivery"),
            LastStatus = e.GetInt32("LastStatus"),
            Failures = e.GetInt32("Failures") ?? 0,
            FailingSince = e.GetDateTimeOffset("FailingSince"),
            LastError = e.GetString("LastError"),
            ETag = e.ETag,
        };

    private static TopicState ToTopic(TableEntity e) =>
        new(e.PartitionKey, e.GetString("Topic"), e.GetString("Format"), e.GetString("Request"), Ids(e.GetString("Seen"))) { ETag = e.ETag };

    private static List<string> Ids(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];
}
