using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Search;
using Radar.Core.Search.Serving;

namespace Radar.Functions.Http;

/// <summary><c>GET /api/search</c> and <c>GET /api/suggest</c> over this instance's replica of
/// the index, answered like every public GET (<see cref="PublicGet"/>: ETag, 304, CORS, a short
/// cache). Bad parameters are a 400 problem naming them; while no index is loaded, a 503 with
/// <c>Retry-After</c>. No query string makes a 500: the engine answers every query.</summary>
public sealed class SearchFunction(SearchService search, PublicGet answers)
{
    private static readonly string[] Single = ["q", "from", "to", "sort", "page", "pageSize"];

    [Function("Search")]
    public Task<IResult> Search(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/search")] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, _ =>
        {
            var query = request.Query;
            if (Single.FirstOrDefault(name => query[name].Count > 1) is { } repeated)
            {
                return Task.FromResult(PublicAnswer.From(Problems.BadRequest($"Give '{repeated}' once.")));
            }

            return Task.FromResult(Shape(search.Search(new SearchParameters
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
            })));
        }, cancellationToken);

    [Function("Suggest")]
    public Task<IResult> Suggest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/suggest")] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, _ => Task.FromResult(request.Query["q"].Count > 1
            ? PublicAnswer.From(Problems.BadRequest("Give 'q' once."))
            : Shape(search.Suggest(request.Query["q"]))), cancellationToken);

    private PublicAnswer Shape<T>(SearchAnswer<T> answer)
        where T : class
    {
        if (answer.Errors.Count > 0)
        {
            return PublicAnswer.From(Problems.BadRequest(
                string.Join(" ", answer.Errors.Select(e => e.Message)),
                new Dictionary<string, object?> { ["errors"] = answer.Errors }));
        }

        return answer.Value is null
            ? PublicAnswer.From(Problems.Unavailable(answer.Unavailable ?? "The search index is not loaded.", answer.RetryAfter))
            : answers.Json(answer.Value);
    }

    private static string[] Values(Microsoft.Extensions.Primitives.StringValues values) =>
        [.. values.Where(v => v is not null).Select(v => v!)];
}
