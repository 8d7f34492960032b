using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Measures;
using Radar.Functions.Web;
using Radar.Pages;
using Radar.Pages.Rendering;
using Radar.Pages.Search;

namespace Radar.Functions.Site;

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
    public const string Report = "bericht/{edition}";
    public const string Compare = "vergleich";
    public const string Embed = "embed";
    public const string Static = "static/{*path}";
    public const string RadarSvg = "api/radar.svg";
    public const string Widget = "api/widget.js";
    public const string OEmbed = "api/oembed";

    /// <summary>Any path of at least one character whose first segment is not <c>api</c>,
    /// <c>massnahmen</c>, <c>suche</c>, <c>bericht</c>, <c>vergleich</c>, <c>embed</c> or
    /// <c>static</c> (case-insensitive, as the host matches).</summary>
    public const string NotFound = @"{*path:regex(^(?!(api|massnahmen|suche|bericht|vergleich|embed|static)(/|$)).)}";

    /// <summary>Every path, for the methods no page takes (<see cref="PageFallbackFunction"/>).</summary>
    public const string Fallback = "{*path}";
}

/// <summary>
/// The citizens' pages. Each binds its query with the one binder (<see cref="QueryBinder"/>):
/// parameters it refuses make the German 400 page (the search and embed pages show it in their
/// own frame). Every page goes out through <see cref="PublicGet.PageAsync"/> (the snapshot gate,
/// <c>Radar-Snapshot</c>) and <see cref="WebAnswer.Page"/>: an ETag from the HTML, 304, the
/// pages' security headers.
/// </summary>
public sealed class PageFunctions(CitizenPages pages, EditionPages editions, PublicGet answers)
{
    /// <summary><c>/</c>: the radar picture, filters, latest changes, the table.</summary>
    [Function("HomePage")]
    public async Task<IResult> Home(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageRoutes.Home)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = QueryBinder.For(request);
        var home = new HomeRequest(query.Radar(), query.PictureFilter(), query.Id("edition", EditionInfo.MaxIdLength, "2024"));
        return await Page(async ct => query.Refusal is { } refusal ? await pages.InvalidAddressAsync(refusal) : await pages.HomeAsync(home, ct), cancellationToken);
    }

    /// <summary><c>/massnahmen/{id}</c>: everything about one measure.</summary>
    [Function("MeasurePage")]
    public async Task<IResult> Measure(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageRoutes.Measure)] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var query = QueryBinder.For(request);
        var radarId = query.Radar();
        return await Page(async ct => query.Refusal is { } refusal ? await pages.InvalidAddressAsync(refusal) : await pages.MeasureAsync(radarId, id, Origin(request), ct), cancellationToken);
    }

    /// <summary><c>/bericht/{edition}</c>: the yearly report, printable.</summary>
    [Function("ReportPage")]
    public async Task<IResult> Report(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageRoutes.Report)] HttpRequest request,
        string edition,
        CancellationToken cancellationToken)
    {
        var query = QueryBinder.For(request);
        var radarId = query.Radar();
        return await Page(async ct => query.Refusal is { } refusal ? await pages.InvalidAddressAsync(refusal) : await editions.ReportAsync(radarId, edition, Origin(request), ct), cancellationToken);
    }

    /// <summary><c>/vergleich?von=…&amp;bis=…</c>: what changed between two editions or days.</summary>
    [Function("ComparePage")]
    public async Task<IResult> Compare(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageRoutes.Compare)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = QueryBinder.For(request);
        var (radarId, from, to) = (query.Radar(), query.Text("von"), query.Text("bis"));
        return await Page(async ct => query.Refusal is { } refusal ? await pages.InvalidAddressAsync(refusal) : await editions.CompareAsync(radarId, from, to, ct), cancellationToken);
    }

    /// <summary><c>/suche</c>: the search as a page (facets, paging, sort, the matching feed).</summary>
    [Function("SearchPage")]
    public async Task<IResult> Search(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageRoutes.Search)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = QueryBinder.For(request);
        var search = query.Search(SearchPageModel.PageSize);
        return await Page(ct => pages.SearchAsync(search, query.Refusal, Origin(request), ct), cancellationToken);
    }

    /// <summary><c>/embed?…</c>: the latest matching changes and news for an iframe; the only page
    /// that other sites may frame.</summary>
    [Function("EmbedPage")]
    public async Task<IResult> Embed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageRoutes.Embed)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = QueryBinder.For(request);
        var feed = query.Feed(FeedLimits.Embed);
        return await answers.PageAsync(ct => pages.EmbedAsync(feed, query.Refusal, answers.BaseUrl(request), ct), ResponsePolicy.EmbedPage, cancellationToken);
    }

    /// <summary>Every other path: the German 404 page (no data behind it, so not gated).</summary>
    [Function(Fallbacks.NotFoundPage)]
    public async Task<IResult> NotFound(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PageRoutes.NotFound)] HttpRequest request) =>
        WebAnswer.Page(await pages.NotFoundAsync(), ResponsePolicy.Page);

    /// <summary>A page from the loaded snapshot, through the edge's gate (the 503 page before the first load).</summary>
    private Task<IResult> Page(Func<CancellationToken, Task<RenderedPage>> render, CancellationToken cancellationToken) =>
        answers.PageAsync(render, ResponsePolicy.Page, cancellationToken);

    /// <summary>Scheme and host the reader reached us at (links in e-mails, oEmbed discovery).</summary>
    private static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host}";
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
        var policy = ResponsePolicy.Asset(current);
        return asset is null
            ? WebAnswer.Uncached(StatusCodes.Status404NotFound, new Representation("Nicht gefunden."u8.ToArray(), "text/plain; charset=utf-8"), policy)
            : WebAnswer.Ok(new Representation(asset.Content, asset.ContentType) { ETag = asset.ETag }, policy);
    }
}
