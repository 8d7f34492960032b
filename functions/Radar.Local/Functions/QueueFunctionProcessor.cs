using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Radar.Core.Storage;

namespace Radar.Local.Functions;

/// <summary>The queue settings of <c>host.json</c> (<c>extensions.queues</c>), with the
/// extension's defaults for what it does not set.</summary>
public sealed record QueueHostSettings(TimeSpan MaxPollingInterval, TimeSpan VisibilityTimeout, int BatchSize, int MaxDequeueCount)
{
    public static readonly QueueHostSettings Defaults = new(TimeSpan.FromMinutes(1), TimeSpan.Zero, 16, 5);

    public static QueueHostSettings Read(JsonElement? queues)
    {
        if (queues is not { ValueKind: JsonValueKind.Object } q)
        {
            return Defaults;
        }

        TimeSpan Span(string name, TimeSpan fallback) =>
            q.TryGetProperty(name, out var v) && TimeSpan.TryParse(v.GetString(), CultureInfo.InvariantCulture, out var span) ? span : fallback;
        int Number(string name, int fallback) =>
            q.TryGetProperty(name, out var v) && v.TryGetInt32(out var n) ? n : fallback;

        return new(Span("maxPollingInterval", Defaults.MaxPollingInterval), Span("visibilityTimeout", Defaults.VisibilityTimeout),
            Math.Clamp(Number("batchSize", Defaults.BatchSize), 1, 32), Math.Max(1, Number("maxDequeueCount", Defaults.MaxDequeueCount)));
    }
}

/// <summary>
/// Runs queue-triggered functions as the host's queue extension does: polls the queue (at once
/// again after finding messages, backing off to <c>maxPollingInterval</c> when it is empty),
/// takes up to <c>batchSize</c> messages and runs them concurrently, hides each while it runs,
/// deletes it after a run that succeeded, makes it visible again after <c>visibilityTimeout</c>
/// after one that failed, and moves it to <c>{queue}-poison</c> when it has been dequeued
/// <c>maxDequeueCount</c> times. Messages are base64, as the extension reads them by default;
/// the queue name is resolved from settings (<c>%WebSubQueue%</c>).
/// </summary>
internal sealed partial class QueueFunctionProcessor(
    IReadOnlyList<(QueueFunction Function, string Queue)> functions,
    QueueHostSettings settings,
    IServiceProvider services,
    ILogger<QueueFunctionProcessor> logger) : BackgroundService
{
    /// <summary>How long a message stays hidden while its run goes on.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(100);

    public static string ResolveQueueName(string queueName, IConfiguration configuration, string functionName)
    {
        var resolved = SettingReference().Replace(queueName, match =>
            configuration[match.Groups[1].Value] is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException(
                    $"Function '{functionName}': its queue names the setting '{match.Groups[1].Value}', which is not set."));
        return resolved.ToLowerInvariant();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Select(f => PollAsync(f.Function, f.Queue, stoppingToken)));

    private async Task PollAsync(QueueFunction function, string name, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var storage = services.GetRequiredService<RadarStorage>();
        QueueClient queue;
        QueueClient poison;
        var wait = FirstPoll;
        while (true)
        {
            try
            {
                queue = await storage.GetQueueAsync(name, stoppingToken);
                poison = await storage.GetQueueAsync(name + "-poison", stoppingToken);
                break;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("{Function}: queue '{Queue}' not reachable yet ({Message})", function.Name, name, ex.Message);
                await DelayAsync(settings.MaxPollingInterval, stoppingToken);
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        logger.LogInformation("{Function}: queue '{Queue}'", function.Name, name);
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(settings.BatchSize, Lease, stoppingToken)).Value;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("{Function}: reading queue '{Queue}' failed ({Message})", function.Name, name, ex.Message);
                messages = [];
            }

            if (messages.Length == 0)
            {
                await DelayAsync(wait, stoppingToken);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, settings.MaxPollingInterval.Ticks));
                continue;
            }

            wait = FirstPoll;
            await Task.WhenAll(messages.Select(m => RunAsync(function, queue, poison, m, stoppingToken)));
        }
    }

    private async Task RunAsync(QueueFunction function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            if (message.DequeueCount > settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(function, queue, poison, message, stoppingToken);
                return;
            }

            await using var scope = services.CreateAsyncScope();
            var arguments = function.Method.GetParameters()
                .Select(p => p.ParameterType == typeof(CancellationToken) ? (object)stoppingToken : message.Body.ToString())
                .ToArray();
            try
            {
                await FunctionInvoker.InvokeAsync(function.Method, scope.ServiceProvider, arguments);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Executed '{Function}' (Failed, dequeue count {Count})", function.Name, message.DequeueCount);
                if (message.DequeueCount >= settings.MaxDequeueCount)
                {
                    await MoveToPoisonAsync(function, queue, poison, message, stoppingToken);
                }
                else
                {
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: stoppingToken);
                }

                return;
            }

            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The message reappears after its lease, for the next run.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "'{Function}': a queue message could not be settled; it reappears after its lease", function.Name);
        }
    }

    private async Task MoveToPoisonAsync(QueueFunction function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        logger.LogError("'{Function}': message {Id} dequeued {Count} times; moved to '{Poison}'", function.Name, message.MessageId, message.DequeueCount, poison.Name);
        await poison.SendMessageAsync(message.Body.ToString(), stoppingToken);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();
}
