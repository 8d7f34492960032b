using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.News;
using Radar.Core.Storage;
using Radar.Functions.Web;

namespace Radar.Functions.Api;

/// <summary><c>GET /api/news</c>: the latest news, newest first: <c>page</c> (from 1),
/// <c>pageSize</c> (1–100, default 20), <c>source</c> (a source id), <c>tag</c>.</summary>
public sealed class NewsFunction(INewsReads news, PublicGet answers)
{
    [Function("News")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/news")] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, query => query.News(), async (query, ct) =>
        {
            try
            {
                var page = await news.ListAsync(query, ct);
                return Representation.Json(page, page.Items.Count == 0 ? null : page.Items.Max(i => i.Published));
            }
            catch (Exception ex) when (ex is RequestFailedException or StorageMisconfiguredException)
            {
                return Problem.Unavailable("News storage is not reachable right now.", TimeSpan.FromSeconds(30));
            }
        }, cancellationToken);
}
