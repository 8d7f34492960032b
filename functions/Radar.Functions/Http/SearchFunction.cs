using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Search;

namespace Radar.Functions.Http;

/// <summary><c>GET /api/search</c> and <c>GET /api/suggest</c> over this instance's replica of
/// the index. Bad parameters are a 400 problem naming them; while no index is loaded, a 503 with
/// <c>Retry-After</c>. No query string makes a 500: the engine answers every query.</summary>
public sealed class SearchFunction(SearchService search)
{
    private static readonly string[] Single = ["q", "from", "to", "sort", "page", "pageSize"];

    [Function("Search")]
    public IResult Search(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/search")] HttpRequest request)
    {
        var query = request.Query;
        if (Single.FirstOrDefault(name => query[name].Count > 1) is { } repeated)
        {
            return Problems.BadRequest($"Give '{repeated}' once.");
        }

        var answer = search.Search(new SearchParameters
        {
            Q = query["q"],
            Type = Values(query["type"]),
            Area = Values(query["area"]),
            Status = Values(query["status"]),
            Department = Values(query["department"]),
            Tag = Values(query["tag"]),
            Radar = Values(query["radar"]),
            From = query["from"],
            To = query["to"],
            Sort = query["sort"],
            Page = query["page"],
            PageSize = query["pageSize"],
        });
        return Shape(request, answer);
    }

    [Function("Suggest")]
    public IResult Suggest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/suggest")] HttpRequest request)
    {
        if (request.Query["q"].Count > 1)
        {
            return Problems.BadRequest("Give 'q' once.");
        }

        return Shape(request, search.Suggest(request.Query["q"]));
    }

    private static IResult Shape<T>(HttpRequest request, SearchAnswer<T> answer)
        where T : class
    {
        if (answer.Errors.Count > 0)
        {
            return Problems.BadRequest(
                string.Join(" ", answer.Errors.Select(e => e.Message)),
                new Dictionary<string, object?> { ["errors"] = answer.Errors });
        }

        if (answer.Value is null)
        {
            request.HttpContext.Response.Headers.CacheControl = "no-store";
            return Problems.Unavailable(answer.Unavailable ?? "The search index is not loaded.", answer.RetryAfter);
        }

        // Answers change when a new commit is loaded, at most every few seconds.
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=30";
        return TypedResults.Ok(answer.Value);
    }

    private static string[] Values(Microsoft.Extensions.Primitives.StringValues values) =>
        [.. values.Where(v => v is not null).Select(v => v!)];
}
