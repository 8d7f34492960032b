using Microsoft.Azure.Functions.Worker;
using Radar.Core.Measures;
using Radar.Core.Sources;

namespace Radar.Functions.Timers;

/// <summary>Ingests the measure sources on the schedule in <c>IngestMeasuresSchedule</c>; sources in
/// back-off wait for their next attempt.</summary>
public sealed class IngestMeasuresFunction(MeasureIngestService ingest)
{
    [Function("IngestMeasures")]
    public Task Run([TimerTrigger("%IngestMeasuresSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        ingest.RunAsync(SourceRunMode.Scheduled, cancellationToken);
}
