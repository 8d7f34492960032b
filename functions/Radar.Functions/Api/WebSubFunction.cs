using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.WebSub;
using Radar.Functions.Web;

namespace Radar.Functions.Api;

/// <summary>
/// <c>POST /api/websub</c>: Radar's WebSub hub (subscribe, unsubscribe). 202 when the request is
/// sound and its verification of intent is queued; 400 problem+json naming the field; 415 for a
/// body that is not a form; 429 on floods; 404 while the hub is off (no <c>Radar__PublicUrl</c>).
/// </summary>
public sealed class WebSubFunction(WebSubHub hub)
{
    [Function("WebSubHub")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/websub")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (hub.BaseUrl is not { } baseUrl)
        {
            return WebAnswer.Error(Problem.NotFound("The WebSub hub is off: it needs the setting Radar__PublicUrl, on which topics are identified."), ResponsePolicy.Live);
        }

        var (form, problem) = await WebSubForm.ReadAsync(request, baseUrl, cancellationToken);
        if (form is null)
        {
            return WebAnswer.Error(problem!, ResponsePolicy.Live);
        }

        return await hub.RequestAsync(form, cancellationToken) is { } refusal
            ? WebAnswer.Error(WebSubForm.Field(refusal.Field, refusal.Message) with
            {
                Status = refusal.Status,
                Title = refusal.Status switch { 429 => "Too many requests", 403 => "Forbidden", _ => "Bad request" },
                RetryAfter = refusal.RetryAfter,
            }, ResponsePolicy.Live)
            : WebAnswer.Uncached(StatusCodes.Status202Accepted, null, ResponsePolicy.Live);
    }
}
