using Microsoft.Azure.Functions.Worker;
using Radar.Core.News;
using Radar.Core.Sources;

namespace Radar.Functions.Timers;

/// <summary>Ingests the news sources on the schedule in <c>IngestNewsSchedule</c>; sources in
/// back-off wait for their next attempt.</summary>
public sealed class IngestNewsFunction(NewsIngestService ingest)
{
    [Function("IngestNews")]
    public Task Run([TimerTrigger("%IngestNewsSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        ingest.RunAsync(SourceRunMode.Scheduled, cancellationToken);
}
