using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Pages;
using Radar.Pages.Picture;
using Radar.Pages.Rendering;

namespace Radar.Functions.Http;

/// <summary>
/// Routes of the citizens' pages. The Functions host does not rank routes as ASP.NET Core does
/// (it tries them in the order of the functions' names), so the catch-all of the 404 page must
/// not match any other route: its regex leaves out every first segment that another function
/// uses (a test checks this against every function's route). The home page needs an optional
/// empty parameter, because the host ignores an empty route.
/// </summary>
public static class PageRoutes
{
    public const string Home = "{home:maxlength(0)?}";
    public const string Measure = "massnahmen/{id}";
    public const string Search = "suche";
    public const string Embed = "embed";
    public const string Static = "static/{*path}";
    public const string RadarSvg = "api/radar.svg";
    public const string Widget = "api/widget.js";
    public const string OEmbed = "api/oembed";

    /// <summary>Any path of at least one character whose first segment is not <c>api</c>,
    /// <c>massnahmen</c>, <c>suche</c>, <c>embed</c> or <c>static</c> (case-insensitive, as the host matches).</summary>
    public const string NotFound = @"{*path:regex(^(?!(api|massnahmen|suche|embed|static)(/|$)).)}";
}

/// <summary><c>/</c>: the radar picture, filters, latest changes, the table.</summary>
public sealed class HomePageFunction(CitizenPages pages)
{
    [Function("HomePage")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageRoutes.Home)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!RadarParameter.TryRead(request, out var radarId, out _))
        {
            return WebResponses.Page(await pages.NotFoundAsync(new NotFoundPageModel("Radar nicht gefunden", "Diese Radar-Kennung ist ungültig.")));
        }

        return WebResponses.Page(await pages.HomeAsync(new HomeRequest(radarId, RadarFilters.Read(request)), cancellationToken));
    }
}

/// <summary><c>/massnahmen/{id}</c>: everything about one measure.</summary>
public sealed class MeasurePageFunction(CitizenPages pages)
{
    [Function("MeasurePage")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageRoutes.Measure)] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (!RadarParameter.TryRead(request, out var radarId, out _))
        {
            return WebResponses.Page(await pages.NotFoundAsync(new NotFoundPageModel("Radar nicht gefunden", "Diese Radar-Kennung ist ungültig.")));
        }

        var origin = $"{request.Scheme}://{request.Host}";
        return WebResponses.Page(await pages.MeasureAsync(radarId, id, origin, cancellationToken));
    }
}

/// <summary><c>/suche</c>: the search as a page (facets, paging, sort, the matching feed).</summary>
public sealed class SearchPageFunction(CitizenPages pages)
{
    [Function("SearchPage")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageRoutes.Search)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = request.Query;
        return WebResponses.Page(await pages.SearchAsync(new Radar.Core.Search.SearchParameters
        {
            // A second value of a single parameter is ignored here: a page answers, it does not refuse.
            Q = query["q"].FirstOrDefault(),
            Type = QueryValues.All(query, "type"),
            Area = QueryValues.All(query, "area"),
            Status = QueryValues.All(query, "status"),
            Department = QueryValues.All(query, "department"),
            Tag = QueryValues.All(query, "tag"),
            Radar = QueryValues.All(query, "radar"),
            Sort = query["sort"].FirstOrDefault(),
            Page = query["page"].FirstOrDefault(),
        }, $"{request.Scheme}://{request.Host}", cancellationToken));
    }
}

/// <summary><c>/embed?…</c>: the latest matching changes and news for an iframe; the only page
/// that other sites may frame.</summary>
public sealed class EmbedPageFunction(CitizenPages pages, PublicGet answers)
{
    [Function("EmbedPage")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageRoutes.Embed)] HttpRequest request,
        CancellationToken cancellationToken) =>
        WebResponses.Page(await pages.EmbedAsync(request.QueryString.Value, answers.BaseUrl(request), cancellationToken), framable: true);
}

/// <summary><c>/api/widget.js</c>: the newsroom widget (a custom element in Shadow DOM).</summary>
public sealed class WidgetScriptFunction(StaticAssets assets)
{
    [Function("WidgetScript")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = PageRoutes.Widget)] HttpRequest request) =>
        HttpMethods.IsOptions(request.Method)
            ? PublicGet.Uncached(request, Results.NoContent())
            : WebResponses.Script(request, assets.Find("widget.js", out _)!);
}

/// <summary><c>/api/oembed?url=…</c>: oEmbed 1.0 (JSON, type "rich") for Radar page addresses,
/// so a CMS embeds a measure or a search by its URL.</summary>
public sealed class OEmbedFunction(CitizenPages pages, PublicGet answers)
{
    [Function("OEmbed")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = PageRoutes.OEmbed)] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, async ct =>
        {
            var query = request.Query;
            var result = await pages.OEmbedAsync(
                query["url"].FirstOrDefault(), query["format"].FirstOrDefault(), query["maxwidth"].FirstOrDefault(), query["maxheight"].FirstOrDefault(),
                answers.BaseUrl(request), $"{request.Scheme}://{request.Host}", ct);
            return result.Answer is { } answer
                ? answers.Json(answer)
                : PublicAnswer.From(Problems.Problem(result.StatusCode, result.StatusCode switch
                {
                    StatusCodes.Status404NotFound => "Not found",
                    StatusCodes.Status501NotImplemented => "Not implemented",
                    _ => "Bad request",
                }, result.Problem!));
        }, cancellationToken);
}

/// <summary>Every other path: the German 404 page.</summary>
public sealed class NotFoundPageFunction(CitizenPages pages)
{
    [Function("NotFoundPage")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageRoutes.NotFound)] HttpRequest request,
        CancellationToken cancellationToken) =>
        WebResponses.Page(await pages.NotFoundAsync());
}

/// <summary><c>/static/{name}</c>: stylesheets and ES modules, embedded in Radar.Pages.</summary>
public sealed class StaticAssetFunction(StaticAssets assets)
{
    [Function("StaticAsset")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageRoutes.Static)] HttpRequest request,
        string? path)
    {
        var asset = assets.Find(path, out var current);
        return WebResponses.Asset(request, asset, current);
    }
}

/// <summary><c>/api/radar.svg</c>: the radar picture on its own, with the home page's filters.</summary>
public sealed class RadarSvgFunction(CitizenPages pages)
{
    [Function("RadarSvg")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = PageRoutes.RadarSvg)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (HttpMethods.IsOptions(request.Method))
        {
            // A widget that fetches the picture with If-None-Match needs the CORS preflight.
            return PublicGet.Uncached(request, Results.NoContent());
        }

        if (!RadarParameter.TryRead(request, out var radarId, out var problem))
        {
            return PublicGet.Error(problem);
        }

        var group = request.Query["group"];
        if (group.Count > 1 || (group.Count == 1 && group[0] is not ("area" or "field" or "")))
        {
            return PublicGet.Error(Problems.BadRequest("'group' is 'area' (one sector per area, the default) or 'field' (one sector per field of action)."));
        }

        var result = await pages.RadarPictureAsync(new HomeRequest(radarId, RadarFilters.Read(request)), cancellationToken);
        return result.Svg is { } svg
            ? WebResponses.Svg(request, svg)
            : PublicGet.Error(result.StatusCode == StatusCodes.Status404NotFound ? Problems.NotFound(result.Problem!) : Problems.BadRequest(result.Problem!));
    }
}

/// <summary>The radar filters of the query string: <c>area</c>, <c>status</c>, <c>department</c>, <c>group</c>.</summary>
internal static class RadarFilters
{
    public static RadarFilter Read(HttpRequest request) => RadarFilter.From(
        request.Query["area"], request.Query["status"], request.Query["department"], request.Query["group"].FirstOrDefault());
}
