using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.News;
using Radar.Core.Storage;

namespace Radar.Functions.Http;

public sealed class NewsFunction(NewsStore news, PublicGet answers)
{
    private static readonly string[] Parameters = ["page", "pageSize", "source", "tag"];

    /// <summary>The latest news, newest first: <c>page</c> (from 1), <c>pageSize</c> (1–100,
    /// default 20), <c>source</c> (a source id), <c>tag</c>.</summary>
    [Function("News")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/news")] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, async ct =>
        {
            var repeated = Parameters.FirstOrDefault(p => request.Query[p].Count > 1);
            if (repeated is not null)
            {
                return PublicAnswer.From(Problems.BadRequest($"Give '{repeated}' once."));
            }

            if (!NewsQuery.TryCreate(request.Query["page"], request.Query["pageSize"], request.Query["source"], request.Query["tag"], out var query, out var error))
            {
                return PublicAnswer.From(Problems.BadRequest(error));
            }

            try
            {
                var page = await news.ListAsync(query, ct);
                return answers.Json(page, page.Items.Count == 0 ? null : page.Items.Max(i => i.Published));
            }
            catch (Exception ex) when (ex is RequestFailedException or StorageMisconfiguredException)
            {
                return PublicAnswer.From(Problems.Unavailable("News storage is not reachable right now.", TimeSpan.FromSeconds(30)));
            }
        }, cancellationToken);
}
