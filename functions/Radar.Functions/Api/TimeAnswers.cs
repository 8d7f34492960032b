using Radar.Core.Measures.Timeline;
using Radar.Functions.Web;

namespace Radar.Functions.Api;

/// <summary>An answer of <see cref="RadarTimeQueries"/> as the API sends it: the value as JSON, or
/// its <see cref="TimeProblem"/> as problem+json — a 400 lists the parameter under <c>errors</c>
/// like every refused query, a 404 names it under <c>parameter</c>.</summary>
public static class TimeAnswers
{
    public static PublicAnswer Of<T>(TimeResult<T> result)
        where T : class =>
        result.Value is { } value ? Representation.Json(value) : Of(result.Problem!);

    public static Problem Of(TimeProblem problem) => problem switch
    {
        { Status: 400, Parameter: { } parameter } => Problem.InvalidQuery([new ParameterError(parameter, problem.Detail)]),
        { Status: 404, Parameter: { } parameter } => Problem.NotFound(problem.Detail) with
        {
            Extensions = new Dictionary<string, object?> { ["parameter"] = parameter },
        },
        _ => Problem.Of(problem.Status, problem.Detail),
    };
}
