using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Sources;

namespace Radar.Functions.Http;

/// <summary>
/// News source management (function key): <c>GET /api/admin/sources</c> lists every source with
/// its fetch state; <c>GET/PUT/DELETE /api/admin/sources/{id}</c> reads, adds or replaces, and
/// removes one API news source; <c>GET/POST /api/admin/sources.opml</c> exports and imports OPML.
/// Sources from settings are listed but only settings change them (409).
/// </summary>
public sealed class AdminSourcesFunctions(SourceAdmin sources)
{
    /// <summary>A source definition is a few hundred bytes; anything far beyond is not one.</summary>
    private const int MaxJsonBytes = 16 * 1024;

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web);

    [Function("AdminListSources")]
    public async Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/admin/sources")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        NoStore(request);
        return TypedResults.Ok(new { sources = await sources.ListAsync(cancellationToken) });
    }

    [Function("AdminGetSource")]
    public async Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/admin/sources/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        NoStore(request);
        return await sources.GetAsync(id, cancellationToken) is { } source
            ? TypedResults.Ok(source)
            : Problems.NotFound($"There is no source '{id}'.");
    }

    [Function("AdminPutSource")]
    public async Task<IResult> Put(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "api/admin/sources/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        NoStore(request);
        var body = await ReadBodyAsync(request, MaxJsonBytes, cancellationToken);
        if (body is null)
        {
            return Problems.BadRequest($"The body is larger than {MaxJsonBytes / 1024} KB; send {{ \"url\": \"…\", \"kind\": \"news\", \"name\": \"…\" }}.");
        }

        SourceRequest? definition;
        try
        {
            definition = JsonSerializer.Deserialize<SourceRequest>(body, RequestJson);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"The body is not a JSON object {{ \"url\": \"…\", \"kind\": \"news\", \"name\": \"…\" }}: {ex.Message}");
        }

        if (definition is null)
        {
            return Problems.BadRequest("The body is empty; send { \"url\": \"…\", \"kind\": \"news\", \"name\": \"…\" }.");
        }

        var result = await sources.PutAsync(id, definition, cancellationToken);
        return result.Outcome switch
        {
            SourceAdminOutcome.Created => TypedResults.Created($"/api/admin/sources/{id}", result.Source),
            SourceAdminOutcome.Replaced => TypedResults.Ok(result.Source),
            _ => Failure(result),
        };
    }

    [Function("AdminDeleteSource")]
    public async Task<IResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "api/admin/sources/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        NoStore(request);
        var result = await sources.DeleteAsync(id, cancellationToken);
        return result.Outcome == SourceAdminOutcome.Deleted ? TypedResults.NoContent() : Failure(result);
    }

    [Function("AdminExportSourcesOpml")]
    public async Task<IResult> ExportOpml(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/admin/sources.opml")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        NoStore(request);
        var document = await sources.ExportOpmlAsync(cancellationToken);
        return TypedResults.File(document, SourceOpml.ContentType + "; charset=utf-8", "radar-sources.opml");
    }

    [Function("AdminImportSourcesOpml")]
    public async Task<IResult> ImportOpml(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/sources.opml")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        NoStore(request);
        var body = await ReadBodyAsync(request, SourceOpml.MaxBytes, cancellationToken);
        if (body is null)
        {
            return Problems.BadRequest($"The OPML document is larger than {SourceOpml.MaxBytes / 1024 / 1024} MB.");
        }

        try
        {
            return TypedResults.Ok(await sources.ImportOpmlAsync(body, cancellationToken));
        }
        catch (OpmlException ex)
        {
            return Problems.BadRequest(ex.Message);
        }
    }

    private static IResult Failure(SourceAdminResult result)
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

        return result.Outcome switch
        {
            SourceAdminOutcome.NotFound => Problems.NotFound(result.Detail ?? "No such source."),
            SourceAdminOutcome.Conflict => Problems.Conflict(result.Detail ?? "Conflict.", extensions),
            _ => Problems.BadRequest(result.Detail ?? "Bad request.", extensions),
        };
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

    private static void NoStore(HttpRequest request) => request.HttpContext.Response.Headers.CacheControl = "no-store";
}
