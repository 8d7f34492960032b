using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Radar.Functions.Web;
using Radar.Pages;

namespace Radar.Functions.Site;

/// <summary>
/// A method no page takes (<c>POST /suche</c>, <c>DELETE /</c>, <c>OPTIONS /embed</c>): the German
/// 405 page with <c>Allow</c> listing what the path's functions declare (<see cref="FunctionRoutes"/>),
/// or the German 404 page where no page is (<c>POST /impressum</c>), as a <c>GET</c> there would get.
/// <para>
/// Without it the hosts differ: the local runner's endpoint routing answers a method a route does
/// not take with its own empty 405, the Functions host with its own 404 (it takes the first route
/// whose template and method match; when none does, no function runs). With it both run this
/// function. <c>GET</c> and <c>HEAD</c> are not declared: every path has a function for them (a
/// page, the 404 page, the API fallback). It is tried after every other function as the API
/// fallback is (see <see cref="Fallbacks"/>): the runner ranks a bare catch-all below everything,
/// the host goes by name and <see cref="Fallbacks.Page"/> sorts last, after the API fallback,
/// which keeps <c>/api</c>. Should a host try it earlier anyway, a request that another function
/// takes is logged as an error and answered 500, never turned into a 405.
/// </para>
/// </summary>
public sealed class PageFallbackFunction(FunctionRoutes routes, CitizenPages pages, ILogger<PageFallbackFunction> logger)
{
    public const string Name = Fallbacks.Page;

    [Function(Name)]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "put", "patch", "delete", "options", Route = PageRoutes.Fallback)] HttpRequest request)
    {
        var path = request.Path.Value is { Length: > 0 } p ? p : "/";
        var matching = routes.Matching(request.Path);
        if (request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || matching.Any(r => r.Methods.Contains(request.Method.ToUpperInvariant())))
        {
            logger.LogError("{Method} {Path} reached the page fallback although another function takes it: the host ranked the routes differently", request.Method, path);
            return WebAnswer.Error(Problem.Of(StatusCodes.Status500InternalServerError, "The request was routed to the wrong function; the error is in the log."), ResponsePolicy.Live);
        }

        if (matching.Count == 0)
        {
            return WebAnswer.Page(await pages.NotFoundAsync(), ResponsePolicy.Page);
        }

        var allow = FunctionRoutes.Allow(matching);
        return WebAnswer.Page(await pages.MethodNotAllowedAsync(path, request.Method, allow), ResponsePolicy.Page, (HeaderNames.Allow, allow));
    }
}
