using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core;
using Radar.Core.Measures;

namespace Radar.Functions.Http;

public sealed class RadarFunction(RadarQueries queries, PublicGet answers)
{
    [Function("Radar")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/radar")] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, async ct =>
        {
            if (!RadarParameter.TryRead(request, out var radarId, out var problem))
            {
                return PublicAnswer.From(problem);
            }

            var view = await queries.GetRadarAsync(radarId, ct);
            return view is null
                ? PublicAnswer.From(Problems.NotFound(radarId is null
                    ? "No radar has been ingested yet: configure a measures source (Radar__Sources__…) and run the ingest."
                    : $"There is no radar '{radarId}'."))
                : answers.Json(view, view.LastChanged);
        }, cancellationToken);
}

public sealed class MeasureFunction(RadarQueries queries, PublicGet answers)
{
    [Function("Measure")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/measures/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, async ct =>
        {
            if (!RadarParameter.TryRead(request, out var radarId, out var problem))
            {
                return PublicAnswer.From(problem);
            }

            var detail = await queries.GetMeasureAsync(radarId, id, ct);
            return detail is null
                ? PublicAnswer.From(Problems.NotFound(radarId is null
                    ? $"There is no measure '{id}' on the radar."
                    : $"There is no measure '{id}' on radar '{radarId}'."))
                : answers.Json(detail, detail.LastChangedAt);
        }, cancellationToken);
}

/// <summary>The optional <c>?radar=</c> of the public routes: a radar id, or absent for the default.</summary>
internal static class RadarParameter
{
    public static bool TryRead(HttpRequest request, out string? radarId, out IResult problem)
    {
        problem = Results.Empty;
        radarId = null;
        var values = request.Query["radar"];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return true;
        }

        if (values.Count > 1 || !Slug.IsValid(values[0], 50))
        {
            problem = Problems.BadRequest("'radar' must be one radar id: lowercase letters, digits and hyphens (e.g. 'muenchen').");
            return false;
        }

        radarId = values[0];
        return true;
    }
}
