using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Functions.Web;

namespace Radar.Functions.Api;

/// <summary>
/// <c>GET /api/openapi.json</c>: the OpenAPI 3.1 document of every public route, written by hand
/// (<c>Api/openapi.json</c>, embedded). A test walks it against the running app and against the
/// function catalog, so it cannot drift from what is served. It does not come from the snapshot,
/// so it answers (without <c>Radar-Snapshot</c>) before one is loaded.
/// </summary>
public sealed class OpenApiFunction(PublicGet answers)
{
    private static readonly Lazy<Representation> Document = new(() =>
    {
        using var stream = typeof(OpenApiFunction).Assembly.GetManifestResourceStream("Radar.Functions.openapi.json")
            ?? throw new InvalidOperationException("The OpenAPI document is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new Representation(copy.ToArray(), "application/json; charset=utf-8");
    });

    [Function("OpenApi")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/openapi.json")] HttpRequest request) =>
        answers.AnswerFixed(request, () => Document.Value);
}
