using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Syndication;

namespace Radar.Functions.Http;

/// <summary>
/// The latest measure changes and news, newest first, with the filters of search: as JSON
/// (<c>/api/changes</c>), RSS 2.0, Atom 1.0 and JSON Feed 1.1. A feed URL with filters is a
/// saved search.
/// </summary>
public sealed class FeedFunctions(FeedService feeds, PublicGet answers)
{
    [Function("Changes")]
    public Task<IResult> Changes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/changes")] HttpRequest request,
        CancellationToken cancellationToken) =>
        AnswerAsync(request, "/api/changes", (feed, links) => answers.Json(new ChangesAnswer(
            feed.Title, feed.Description, feed.RadarId, links.Self.Replace("/api/changes", "/api/feed.rss", StringComparison.Ordinal),
            feed.Request.Limit, feed.Entries), feed.Updated), cancellationToken);

    [Function("FeedRss")]
    public Task<IResult> Rss(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/feed.rss")] HttpRequest request,
        CancellationToken cancellationToken) =>
        AnswerAsync(request, "/api/feed.rss", (feed, links) => new Representation(FeedDocuments.Rss(feed, links), FeedDocuments.RssContentType, feed.Updated), cancellationToken);

    [Function("FeedAtom")]
    public Task<IResult> Atom(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/feed.atom")] HttpRequest request,
        CancellationToken cancellationToken) =>
        AnswerAsync(request, "/api/feed.atom", (feed, links) => new Representation(FeedDocuments.Atom(feed, links), FeedDocuments.AtomContentType, feed.Updated), cancellationToken);

    [Function("FeedJson")]
    public Task<IResult> Json(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/feed.json")] HttpRequest request,
        CancellationToken cancellationToken) =>
        AnswerAsync(request, "/api/feed.json", (feed, links) => new Representation(FeedDocuments.JsonFeed(feed, links), FeedDocuments.JsonFeedContentType, feed.Updated), cancellationToken);

    private Task<IResult> AnswerAsync(HttpRequest request, string path, Func<FeedSelection, FeedLinks, Representation> render, CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, async ct =>
        {
            if (!TryRead(request, out var parameters, out var problem))
            {
                return PublicAnswer.From(problem);
            }

            var validation = parameters.Validate();
            if (validation.Request is not { } valid)
            {
                return PublicAnswer.From(Problems.BadRequest(validation.Message,
                    new Dictionary<string, object?> { ["errors"] = validation.Errors }));
            }

            var outcome = await feeds.SelectAsync(valid, ct);
            if (outcome.Problem is { } failed)
            {
                return PublicAnswer.From(failed.Status == StatusCodes.Status503ServiceUnavailable
                    ? Problems.Unavailable(failed.Detail, TimeSpan.FromSeconds(60))
                    : Problems.Problem(failed.Status, failed.Status == StatusCodes.Status404NotFound ? "Not found" : "Bad request", failed.Detail));
            }

            return render(outcome.Selection!, new FeedLinks(answers.BaseUrl(request), path, valid));
        }, cancellationToken);

    private static readonly string[] Single = ["q", "from", "to", "limit", "pageSize"];

    private static bool TryRead(HttpRequest request, out FeedParameters parameters, out IResult problem)
    {
        parameters = new FeedParameters();
        problem = Results.Empty;
        var query = request.Query;
        if (Single.FirstOrDefault(p => query[p].Count > 1) is { } repeated)
        {
            problem = Problems.BadRequest($"Give '{repeated}' once.");
            return false;
        }

        parameters = new FeedParameters
        {
            Q = QueryValues.One(query, "q"),
            Type = QueryValues.All(query, "type"),
            Area = QueryValues.All(query, "area"),
            Status = QueryValues.All(query, "status"),
            Department = QueryValues.All(query, "department"),
            Tag = QueryValues.All(query, "tag"),
            Radar = QueryValues.All(query, "radar"),
            Measure = QueryValues.All(query, "measure"),
            From = QueryValues.One(query, "from"),
            To = QueryValues.One(query, "to"),
            Limit = QueryValues.One(query, "limit"),
            PageSize = QueryValues.One(query, "pageSize"),
        };
        return true;
    }
}

/// <summary><c>GET /api/changes</c>: the feed's entries as JSON.</summary>
public sealed record ChangesAnswer(
    string Title,
    string Description,
    string? Radar,
    string Feed,
    int Limit,
    IReadOnlyList<FeedEntry> Items);
