using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using Radar.Core.Sources;
using Radar.Functions.Web;

namespace Radar.Functions.Admin;

/// <summary>
/// News source management (function key): <c>GET /api/admin/sources</c> lists every source with
/// its fetch state; <c>GET/PUT/DELETE /api/admin/sources/{id}</c> reads, adds or replaces, and
/// removes one API news source; <c>GET/POST /api/admin/sources.opml</c> exports and imports OPML.
/// Sources from settings are listed but only settings change them (409). Every answer is
/// <see cref="ResponsePolicy.Admin"/>: never stored, no CORS.
/// </summary>
public sealed class AdminSourcesFunctions(SourceAdmin sources)
{
    /// <summary>A source definition is a few hundred bytes; anything far beyond is not one.</summary>
    private const int MaxJsonBytes = 16 * 1024;

    private const string Expected = "{ \"url\": \"…\", \"kind\": \"news\", \"name\": \"…\" }";

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web);

    [Function("AdminListSources")]
    public async Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "api/admin/sources")] HttpRequest request,
        CancellationToken cancellationToken) =>
        WebAnswer.Json(new { sources = await sources.ListAsync(cancellationToken) }, ResponsePolicy.Admin);

    [Function("AdminGetSource")]
    public async Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "api/admin/sources/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await sources.GetAsync(id, cancellationToken) is { } source
            ? WebAnswer.Json(source, ResponsePolicy.Admin)
            : Error(Problem.NotFound($"There is no source '{id}'."));

    [Function("AdminPutSource")]
    public async Task<IResult> Put(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "api/admin/sources/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, MaxJsonBytes, cancellationToken);
        if (body is null)
        {
            return Error(Problem.BadRequest($"The body is larger than {MaxJsonBytes / 1024} KB; send {Expected}."));
        }

        SourceRequest? definition;
        try
        {
            definition = JsonSerializer.Deserialize<SourceRequest>(body, RequestJson);
        }
        catch (JsonException ex)
        {
            return Error(Problem.BadRequest($"The body is not a JSON object {Expected}: {ex.Message}"));
        }

        if (definition is null)
        {
            return Error(Problem.BadRequest($"The body is empty; send {Expected}."));
        }

        var result = await sources.PutAsync(id, definition, cancellationToken);
        return result.Outcome switch
        {
            SourceAdminOutcome.Created => WebAnswer.Uncached(StatusCodes.Status201Created, Representation.Json(result.Source), ResponsePolicy.Admin, (HeaderNames.Location, $"/api/admin/sources/{id}")),
            SourceAdminOutcome.Replaced => WebAnswer.Json(result.Source, ResponsePolicy.Admin),
            _ => Failure(result),
        };
    }

    [Function("AdminDeleteSource")]
    public async Task<IResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "api/admin/sources/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        var result = await sources.DeleteAsync(id, cancellationToken);
        return result.Outcome == SourceAdminOutcome.Deleted
            ? WebAnswer.Uncached(StatusCodes.Status204NoContent, null, ResponsePolicy.Admin)
            : Failure(result);
    }

    [Function("AdminExportSourcesOpml")]
    public async Task<IResult> ExportOpml(
        [HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "api/admin/sources.opml")] HttpRequest request,
        CancellationToken cancellationToken) =>
        WebAnswer.Uncached(
            StatusCodes.Status200OK,
            new Representation(await sources.ExportOpmlAsync(cancellationToken), SourceOpml.ContentType + "; charset=utf-8"),
            ResponsePolicy.Admin,
            (HeaderNames.ContentDisposition, "attachment; filename=radar-sources.opml"));

    [Function("AdminImportSourcesOpml")]
    public async Task<IResult> ImportOpml(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/sources.opml")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, SourceOpml.MaxBytes, cancellationToken);
        if (body is null)
        {
            return Error(Problem.BadRequest($"The OPML document is larger than {SourceOpml.MaxBytes / 1024 / 1024} MB."));
        }

        try
        {
            return WebAnswer.Json(await sources.ImportOpmlAsync(body, cancellationToken), ResponsePolicy.Admin);
        }
        catch (OpmlException ex)
        {
            return Error(Problem.BadRequest(ex.Message));
        }
    }

    private static WebAnswer Error(Problem problem) => WebAnswer.Error(problem, ResponsePolicy.Admin);

    private static WebAnswer Failure(SourceAdminResult result)
    {
        var extensions = new Dictionary<string, object?>();
        if (result.Code is not null)
        {
            extensions["code"] = result.Code;
        }

        if (result.Source is not null)
        {
            extensions["source"] = result.Source;
        }

        return Error(result.Outcome switch
        {
            SourceAdminOutcome.NotFound => Problem.NotFound(result.Detail ?? "No such source."),
            SourceAdminOutcome.Conflict => Problem.Conflict(result.Detail ?? "Conflict.", extensions),
            _ => Problem.BadRequest(result.Detail ?? "Bad request.", extensions),
        });
    }

    /// <summary>The body, or null as soon as it is longer than <paramref name="max"/> bytes
    /// (whatever <c>Content-Length</c> claimed), so a huge upload is never buffered.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int max, CancellationToken cancellationToken)
    {
        if (request.ContentLength > max)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
