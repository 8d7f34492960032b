using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Functions.Web;
using Radar.Pages;
using Radar.Pages.Embed;
using Radar.Pages.Rendering;

namespace Radar.Functions.Site;

/// <summary>
/// What other sites embed, open to them (<see cref="Cors"/>): <c>/api/radar.svg</c> (the picture
/// as an image), <c>/api/widget.js</c> (the newsroom widget) and <c>/api/oembed</c> (an iframe of
/// <c>/embed</c> for a pasted Radar address). Part of the public API (OpenAPI), built by Radar.Pages.
/// </summary>
public sealed class EmbeddingFunctions(CitizenPages pages, StaticAssets assets, PublicGet answers)
{
    /// <summary><c>/api/radar.svg</c>: the radar picture on its own, with the home page's filters.</summary>
    [Function("RadarSvg")]
    public async Task<IResult> RadarSvg(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = PageRoutes.RadarSvg)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (HttpMethods.IsOptions(request.Method))
        {
            // A widget that fetches the picture with If-None-Match needs the CORS preflight.
            return Cors.Preflight();
        }

        var query = QueryBinder.For(request);
        var home = new HomeRequest(query.Radar(), query.PictureFilter());
        if (!query.IsValid)
        {
            return WebAnswer.Error(Problem.InvalidQuery(query.Errors), ResponsePolicy.Embedded);
        }

        return await answers.GatedAsync(async ct =>
        {
            var result = await pages.RadarPictureAsync(home, ct);
            return result.Svg is { } svg
                ? WebAnswer.Ok(new Representation(svg, "image/svg+xml; charset=utf-8"), ResponsePolicy.Embedded)
                : WebAnswer.Error(Problem.Of(result.StatusCode, result.Problem!), ResponsePolicy.Embedded);
        }, ResponsePolicy.Embedded, cancellationToken);
    }

    /// <summary><c>/api/widget.js</c>: the newsroom widget (a custom element in Shadow DOM); a
    /// static file, so not gated by the snapshot (the data it fetches is).</summary>
    [Function("WidgetScript")]
    public IResult Widget(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = PageRoutes.Widget)] HttpRequest request)
    {
        if (HttpMethods.IsOptions(request.Method))
        {
            return Cors.Preflight();
        }

        var script = assets.Find("widget.js", out _)!;
        return WebAnswer.Ok(new Representation(script.Content, script.ContentType) { ETag = script.ETag }, ResponsePolicy.Embedded);
    }

    /// <summary><c>/api/oembed?url=…</c>: oEmbed 1.0 (JSON, type "rich") for Radar page addresses,
    /// so a CMS embeds a measure or a search by its URL. The page's filters are bound by the same
    /// binder as <c>/embed</c>'s own query.</summary>
    [Function("OEmbed")]
    public Task<IResult> OEmbed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = PageRoutes.OEmbed)] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, async ct =>
        {
            var query = QueryBinder.For(request);
            var asked = query.OEmbed();
            if (asked.Format is { } format && format != "json")
            {
                return Problem.Of(StatusCodes.Status501NotImplemented, "Only format=json is offered.");
            }

            if (!query.IsValid || asked.Page is null)
            {
                return Problem.InvalidQuery(query.Errors);
            }

            var baseUrl = answers.BaseUrl(request);
            if (EmbedAddresses.ForSitePage(asked.Page, baseUrl, $"{request.Scheme}://{request.Host}") is not { } embedQuery)
            {
                return Problem.NotFound("This address is not a Radar page that can be embedded (the home page, a measure page or a search).");
            }

            var embed = QueryBinder.Parse(embedQuery.Value);
            var selection = embed.Feed(FeedLimits.Embed);
            if (!embed.IsValid)
            {
                return Problem.InvalidQuery(embed.Errors);
            }

            var result = await pages.OEmbedAsync(selection, embedQuery, asked.MaxWidth, asked.MaxHeight, baseUrl, ct);
            return result.Answer is { } answer ? Representation.Json(answer) : Problem.Of(result.StatusCode, result.Problem!);
        }, cancellationToken);
}
