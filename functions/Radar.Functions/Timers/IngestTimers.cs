using Microsoft.Azure.Functions.Worker;
using Radar.Core.Measures.Ingest;
using Radar.Core.News;
using Radar.Core.Sources;

namespace Radar.Functions.Timers;

/// <summary>The scheduled ingests, on the schedules in <c>IngestMeasuresSchedule</c> and
/// <c>IngestNewsSchedule</c>; sources in back-off wait for their next attempt. Each is a singleton
/// under the Functions host; the ingest lease keeps runs of one kind apart everywhere.</summary>
public sealed class IngestTimers(MeasureIngestService measures, NewsIngestService news)
{
    [Function("IngestMeasures")]
    public Task Measures([TimerTrigger("%IngestMeasuresSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        measures.RunAsync(SourceRunMode.Scheduled, cancellationToken);

    [Function("IngestNews")]
    public Task News([TimerTrigger("%IngestNewsSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        news.RunAsync(SourceRunMode.Scheduled, cancellationToken);
}
