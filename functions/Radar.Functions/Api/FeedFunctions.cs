using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Syndication;
using Radar.Core.WebSub;
using Radar.Functions.Web;

namespace Radar.Functions.Api;

/// <summary>
/// The latest measure changes and news, newest first, with the filters of search: as JSON
/// (<c>/api/changes</c>), RSS 2.0, Atom 1.0 and JSON Feed 1.1. A feed URL with filters is a
/// saved search. With <c>Radar__PublicUrl</c> set, the three feeds are WebSub topics: they name
/// the hub and their canonical self URL in the document and in <c>Link</c> headers.
/// </summary>
public sealed class FeedFunctions(FeedService feeds, PublicGet answers, WebSubHub hub)
{
    [Function("Changes")]
    public Task<IResult> Changes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/changes")] HttpRequest request,
        CancellationToken cancellationToken) =>
        AnswerAsync(request, "/api/changes", (feed, links) => Representation.Json(new ChangesAnswer(
            feed.Title, feed.Description, feed.RadarId, links.Self.Replace("/api/changes", "/api/feed.rss", StringComparison.Ordinal),
            feed.Request.Limit, feed.Entries), feed.Updated), cancellationToken);

    [Function("FeedRss")]
    public Task<IResult> Rss(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/feed.rss")] HttpRequest request,
        CancellationToken cancellationToken) =>
        AnswerAsync(request, "/api/feed.rss", (feed, links) => new Representation(FeedDocuments.Rss(feed, links), FeedDocuments.RssContentType, feed.Updated) { Links = links.Headers }, cancellationToken);

    [Function("FeedAtom")]
    public Task<IResult> Atom(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/feed.atom")] HttpRequest request,
        CancellationToken cancellationToken) =>
        AnswerAsync(request, "/api/feed.atom", (feed, links) => new Representation(FeedDocuments.Atom(feed, links), FeedDocuments.AtomContentType, feed.Updated) { Links = links.Headers }, cancellationToken);

    [Function("FeedJson")]
    public Task<IResult> Json(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/feed.json")] HttpRequest request,
        CancellationToken cancellationToken) =>
        AnswerAsync(request, "/api/feed.json", (feed, links) => new Representation(FeedDocuments.JsonFeed(feed, links), FeedDocuments.JsonFeedContentType, feed.Updated) { Links = links.Headers }, cancellationToken);

    private Task<IResult> AnswerAsync(HttpRequest request, string path, Func<FeedSelection, FeedLinks, Representation> render, CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, query => query.Feed(FeedLimits.Feed), async (feed, ct) =>
        {
            var outcome = await feeds.SelectAsync(feed, ct);
            return outcome.Selection is { } selection
                ? render(selection, new FeedLinks(answers.BaseUrl(request), path, feed) { Hub = hub.HubUrl })
                : Problem.Of(outcome.Problem!.Status, outcome.Problem.Detail, outcome.Problem.Status == StatusCodes.Status503ServiceUnavailable ? TimeSpan.FromSeconds(60) : null);
        }, cancellationToken);
}

/// <summary><c>GET /api/changes</c>: the feed's entries as JSON.</summary>
public sealed record ChangesAnswer(
    string Title,
    string Description,
    string? Radar,
    string Feed,
    int Limit,
    IReadOnlyList<FeedEntry> Items);
