using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.WebSub;
using Radar.Functions.Web;

namespace Radar.Functions.Admin;

/// <summary>WebSub subscriptions (function key): <c>GET /api/admin/websub?topic=…</c> lists them
/// (all, or one topic's, by its URL in any spelling) with state, last delivery and failures;
/// <c>DELETE /api/admin/websub/{id}</c> ends one and tells the subscriber <c>hub.mode=denied</c>.</summary>
public sealed class AdminWebSubFunctions(WebSubHub hub)
{
    [Function("AdminListWebSub")]
    public async Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "api/admin/websub")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        string? topic = null;
        if (request.Query["topic"].ToString() is { Length: > 0 } given)
        {
            if (hub.BaseUrl is not { } baseUrl || WebSubForm.BindTopic(given, baseUrl) is not ({ } bound, _))
            {
                return WebAnswer.Error(WebSubForm.Field("topic", "'topic' must be the URL of one of Radar's feeds under Radar__PublicUrl."), ResponsePolicy.Admin);
            }

            topic = bound.Url;
        }

        return WebAnswer.Json(new { hub = hub.HubUrl, subscriptions = await hub.ListAsync(topic, cancellationToken) }, ResponsePolicy.Admin);
    }

    [Function("AdminRemoveWebSub")]
    public async Task<IResult> Remove(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "api/admin/websub/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await hub.RemoveAsync(id, cancellationToken)
            ? WebAnswer.Uncached(StatusCodes.Status204NoContent, null, ResponsePolicy.Admin)
            : WebAnswer.Error(Problem.NotFound($"There is no subscription '{id}'."), ResponsePolicy.Admin);
}
