using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Radar.Functions.Web;

namespace Radar.Functions.Api;

/// <summary>
/// Every <c>/api/…</c> request no other function takes: an unknown path is a 404 problem, a known
/// path with a method it does not take a 405 problem whose <c>Allow</c> lists the methods its
/// functions declare (<see cref="FunctionRoutes"/>, the same <c>[HttpTrigger]</c> metadata both
/// hosts route by). <c>OPTIONS</c> on an unknown path is a 404 like any other method: there is no
/// resource whose methods could be listed.
/// <para>
/// Both hosts try it after every other route. ASP.NET Core's endpoint routing (the local runner)
/// ranks a catch-all below literals and parameters. The Functions host does not rank routes: it
/// maps them into one route collection in the order of the functions' names (case-insensitive;
/// <c>FunctionMetadataManager</c> sorts them, <c>WebScriptHostHttpRoutesManager</c> maps them) and
/// takes the first whose template and method match. So the name is chosen to sort after every
/// other function (a test keeps it so). Should a host ever try it first anyway, a request another
/// function would answer is not turned into a 405: it is logged as an error and answered 500.
/// </para>
/// </summary>
public sealed class ApiFallbackFunction(FunctionRoutes routes, ILogger<ApiFallbackFunction> logger)
{
    public const string Name = Fallbacks.Api;

    [Function(Name)]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", "put", "patch", "delete", "options", Route = "api/{*path}")] HttpRequest request)
    {
        var matching = routes.Matching(request.Path);
        var path = request.Path.Value;
        if (matching.Count == 0)
        {
            return WebAnswer.Error(Problem.NotFound($"There is no API route '{path}'. The public API is described at /api/openapi.json."), ResponsePolicy.Live);
        }

        var allow = FunctionRoutes.Allow(matching);
        var policy = matching.Any(r => r.Level == AuthorizationLevel.Anonymous) ? ResponsePolicy.Live : ResponsePolicy.Admin;
        if (matching.Any(r => r.Methods.Contains(request.Method.ToUpperInvariant())))
        {
            logger.LogError("{Method} {Path} reached the API fallback although {Function} takes it: the host ranked the routes differently", request.Method, path, matching[0].Name);
            return WebAnswer.Error(Problem.Of(StatusCodes.Status500InternalServerError, "The request was routed to the wrong function; the error is in the log."), policy);
        }

        return WebAnswer.Error(Problem.MethodNotAllowed($"'{path}' does not take {request.Method}; it takes {allow}.", allow), policy);
    }
}
