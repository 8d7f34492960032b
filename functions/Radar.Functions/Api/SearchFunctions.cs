using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Search.Serving;
using Radar.Functions.Web;

namespace Radar.Functions.Api;

/// <summary><c>GET /api/search</c> and <c>GET /api/suggest</c> over this instance's replica of
/// the index. Bad parameters are a 400 problem naming them; while no index is loaded, a 503 with
/// <c>Retry-After</c>. No query string makes a 500: the engine answers every query.</summary>
public sealed class SearchFunctions(SearchService search, PublicGet answers)
{
    [Function("Search")]
    public Task<IResult> Search(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/search")] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, query => query.Search(), (parameters, _) => Task.FromResult(Shape(search.Search(parameters))), cancellationToken);

    [Function("Suggest")]
    public Task<IResult> Suggest(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/suggest")] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, query => (Typed: query.Words(), Radar: query.Id("radar", 50, "muenchen")), (asked, _) => Task.FromResult(Shape(search.Suggest(asked.Typed, asked.Radar))), cancellationToken);

    private static PublicAnswer Shape<T>(SearchAnswer<T> answer)
        where T : class =>
        answer.Value is { } value
            ? Representation.Json(value)
            : Problem.Unavailable(answer.Unavailable ?? "The search index is not loaded.", answer.RetryAfter);
}
