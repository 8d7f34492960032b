using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Measures;
using Radar.Functions.Web;

namespace Radar.Functions.Api;

/// <summary><c>GET /api/radar[?radar=]</c>: the radar with its measures and counts.</summary>
public sealed class RadarFunction(RadarQueries queries, PublicGet answers)
{
    [Function("Radar")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/radar")] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, query => query.Radar(), async (radarId, ct) =>
            await queries.GetRadarAsync(radarId, ct) is { } view
                ? Representation.Json(view, view.LastChanged)
                : Problem.NotFound(radarId is null
                    ? "No radar has been ingested yet: configure a measures source (Radar__Sources__…) and run the ingest."
                    : $"There is no radar '{radarId}'."),
            cancellationToken);
}

/// <summary><c>GET /api/measures/{id}[?radar=]</c>: every field of a measure and its history.</summary>
public sealed class MeasureFunction(RadarQueries queries, PublicGet answers)
{
    [Function("Measure")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/measures/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, query => query.Radar(), async (radarId, ct) =>
            await queries.GetMeasureAsync(radarId, id, ct) is { } detail
                ? Representation.Json(detail, detail.LastChangedAt)
                : Problem.NotFound(radarId is null
                    ? $"There is no measure '{id}' on the radar."
                    : $"There is no measure '{id}' on radar '{radarId}'."),
            cancellationToken);
}
