using Microsoft.Azure.Functions.Worker;
using Radar.Core.WebSub;

namespace Radar.Functions.Queues;

/// <summary>The WebSub hub's work (verifications, deliveries, denials) from the queue named by
/// <c>WebSubQueue</c>. Retries of deliveries are the worker's own (re-queued with back-off); a
/// message that throws (storage trouble, a generation never loaded) is retried by the host and
/// parked in the poison queue after <c>maxDequeueCount</c>.</summary>
public sealed class WebSubQueueFunction(WebSubWorker worker)
{
    [Function("WebSubWork")]
    public Task Run([QueueTrigger("%WebSubQueue%")] string message, CancellationToken cancellationToken) =>
        worker.HandleAsync(message, cancellationToken);
}
