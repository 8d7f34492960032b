using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;
using Radar.Functions.Web;

namespace Radar.Functions.Api;

/// <summary><c>GET /api/radar[?radar=]</c>: the radar with its measures and counts; with
/// <c>asOf=YYYY-MM-DD</c> or <c>edition=ID</c>, the radar as it stood then.</summary>
public sealed class RadarFunction(RadarQueries queries, RadarTimeQueries time, PublicGet answers)
{
    [Function("Radar")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/radar")] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, query => (Radar: query.Radar(), Moment: query.Moment()), async (asked, ct) =>
            asked.Moment.AsOf is not null || asked.Moment.Edition is not null
                ? TimeAnswers.Of(await time.GetRadarAsOfAsync(asked.Radar, asked.Moment.AsOf, asked.Moment.Edition, ct))
                : await queries.GetRadarAsync(asked.Radar, ct) is { } view
                    ? Representation.Json(view, view.LastChanged)
                    : Problem.NotFound(asked.Radar is null
                        ? "No radar has been ingested yet: configure a measures source (Radar__Sources__…) and run the ingest."
                        : $"There is no radar '{asked.Radar}'."),
            cancellationToken);
}

/// <summary><c>GET /api/radar/editions[?radar=]</c>: the radar's editions, newest first.</summary>
public sealed class RadarEditionsFunction(RadarTimeQueries time, PublicGet answers)
{
    [Function("RadarEditions")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/radar/editions")] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, query => query.Radar(), async (radarId, ct) =>
            TimeAnswers.Of(await time.ListEditionsAsync(radarId, ct)), cancellationToken);
}

/// <summary><c>GET /api/radar/diff?from=&amp;to=[&amp;radar=]</c>: what changed between two
/// moments (dates or edition ids; <c>to</c> absent: now).</summary>
public sealed class RadarDiffFunction(RadarTimeQueries time, PublicGet answers)
{
    [Function("RadarDiff")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/radar/diff")] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, query => (Radar: query.Radar(), Span: query.Span()), async (asked, ct) =>
            TimeAnswers.Of(await time.GetDiffAsync(asked.Radar, asked.Span.From, asked.Span.To, ct)), cancellationToken);
}

/// <summary><c>GET /api/measures/{id}[?radar=]</c>: every field of a measure and its history; with
/// <c>asOf=YYYY-MM-DD</c>, the measure as it stood then.</summary>
public sealed class MeasureFunction(RadarQueries queries, RadarTimeQueries time, PublicGet answers)
{
    [Function("Measure")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/measures/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, query => (Radar: query.Radar(), AsOf: query.AsOf()), async (asked, ct) =>
            asked.AsOf is not null
                ? TimeAnswers.Of(await time.GetMeasureAsOfAsync(asked.Radar, id, asked.AsOf, ct))
                : await queries.GetMeasureAsync(asked.Radar, id, ct) is { } detail
                    ? Representation.Json(detail, detail.LastChangedAt)
                    : Problem.NotFound(asked.Radar is null
                        ? $"There is no measure '{id}' on the radar."
                        : $"There is no measure '{id}' on radar '{asked.Radar}'."),
            cancellationToken);
}
