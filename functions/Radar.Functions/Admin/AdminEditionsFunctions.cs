using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;
using Radar.Core.Sources;
using Radar.Functions.Web;

namespace Radar.Functions.Admin;

/// <summary>
/// The backfill of editions (function key), answered from <see cref="EditionService"/>:
/// <list type="bullet">
/// <item><c>POST /api/admin/radars/{radar}/editions[?replace=true]</c>: the JSON import format with
/// <c>radar.edition</c> (<c>application/json</c>), or <c>multipart/form-data</c> with the parts
/// <c>csv</c> and <c>definition</c>. 201 with <c>Location</c> (the radar as of the edition), 200
/// when replaced or already stored alike, 409 for other content under the same id, 409 with
/// <c>Retry-After</c> while an ingest holds the lease, 400 when nothing can be stored, 404 for an
/// unknown radar, 413 past <see cref="MaxBytes"/>, 415 for another content type.</item>
/// <item><c>DELETE /api/admin/radars/{radar}/editions/{edition}</c>: 204, 404, or 409 with <c>Retry-After</c>.</item>
/// </list>
/// </summary>
public sealed class AdminEditionsFunctions(EditionService editions)
{
    /// <summary>The largest body taken (the issue's limit; Munich's 48 measures are ~100 KB).</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    private static readonly string[] FormParts = ["csv", "definition"];

    /// <summary>When to ask again while an ingest runs: a measures ingest takes seconds.</summary>
    private static readonly TimeSpan LeaseRetry = TimeSpan.FromSeconds(30);

    [Function("AdminImportEdition")]
    public async Task<IResult> Import(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/radars/{radar}/editions")] HttpRequest request,
        string radar,
        CancellationToken cancellationToken)
    {
        var query = QueryBinder.For(request);
        var replace = query.Flag("replace") == true;
        if (!query.IsValid)
        {
            return Error(Problem.InvalidQuery(query.Errors));
        }

        var (document, problem) = await ReadDocumentAsync(request, cancellationToken);
        if (document is null)
        {
            return Error(problem!);
        }

        var result = await editions.ImportAsync(radar, document, replace, cancellationToken);
        var report = new Dictionary<string, object?> { ["report"] = result.Report };
        return result.Status switch
        {
            EditionImportStatus.Imported => WebAnswer.Uncached(StatusCodes.Status201Created, Representation.Json(result.Report), ResponsePolicy.Admin,
                (HeaderNames.Location, $"/api/radar?radar={Uri.EscapeDataString(radar)}&edition={Uri.EscapeDataString(document.Edition!.Id)}")),
            EditionImportStatus.Replaced or EditionImportStatus.Unchanged => WebAnswer.Json(result.Report, ResponsePolicy.Admin),
            EditionImportStatus.Conflict => Error(Problem.Conflict(result.Detail + " Send it with ?replace=true to replace the stored edition.", report)),
            EditionImportStatus.LeaseHeld => Error(Problem.AlreadyRunning("A measures ingest is running on", result.Holder?.Owner, result.Holder?.Since) with { RetryAfter = LeaseRetry }),
            EditionImportStatus.UnknownRadar => Error(Problem.NotFound(result.Detail)),
            _ => Error(Problem.BadRequest(result.Detail)),
        };
    }

    [Function("AdminDeleteEdition")]
    public async Task<IResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "api/admin/radars/{radar}/editions/{edition}")] HttpRequest request,
        string radar,
        string edition,
        CancellationToken cancellationToken)
    {
        var result = await editions.DeleteAsync(radar, edition, cancellationToken);
        return result.Status switch
        {
            EditionDeleteStatus.Deleted => WebAnswer.Uncached(StatusCodes.Status204NoContent, null, ResponsePolicy.Admin),
            EditionDeleteStatus.LeaseHeld => Error(Problem.AlreadyRunning("A measures ingest is running on", result.Holder?.Owner, result.Holder?.Since) with { RetryAfter = LeaseRetry }),
            _ => Error(Problem.NotFound(result.Detail)),
        };
    }

    /// <summary>The edition document from the body: JSON, or the CSV and definition parts of a
    /// form. Read with a cap, so a body past <see cref="MaxBytes"/> is refused (413) without
    /// being held.</summary>
    private static async Task<(MeasureSourceContent? Document, Problem? Problem)> ReadDocumentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) ? contentType.MediaType.Value?.ToLowerInvariant() : null;
        if (mediaType is not ("application/json" or "multipart/form-data"))
        {
            return (null, new Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the edition as application/json (the import format with radar.edition) or as multipart/form-data with the parts 'csv' and 'definition', not '{request.ContentType}'."));
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return (null, new Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body is larger than {MaxBytes / 1024 / 1024} MiB."));
        }

        try
        {
            if (mediaType == "application/json")
            {
                return (EditionService.ReadJson(body), null);
            }

            var boundary = HeaderUtilities.RemoveQuotes(contentType!.Boundary).Value;
            if (string.IsNullOrEmpty(boundary))
            {
                return (null, Problem.BadRequest("The multipart/form-data body names no boundary."));
            }

            var parts = await ReadPartsAsync(body, boundary, cancellationToken);
            if (parts is null)
            {
                return (null, Problem.BadRequest("The multipart/form-data body is not readable as a form."));
            }

            var missing = FormParts.Where(p => !parts.ContainsKey(p)).ToList();
            return missing.Count > 0
                ? (null, Problem.BadRequest($"The form lacks the part{(missing.Count > 1 ? "s" : "")} {string.Join(" and ", missing.Select(m => $"'{m}'"))}: send 'csv' (the measures) and 'definition' (the import format with radar.edition)."))
                : (EditionService.ReadCsv(parts["csv"], parts["definition"]), null);
        }
        catch (SourceContentException ex)
        {
            return (null, Problem.BadRequest(ex.Message));
        }
    }

    /// <summary>The named parts of a form (the first of each name); null when it is not one.</summary>
    private static async Task<Dictionary<string, byte[]>?> ReadPartsAsync(byte[] body, string boundary, CancellationToken cancellationToken)
    {
        var parts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var reader = new MultipartReader(boundary, new MemoryStream(body));
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    && HeaderUtilities.RemoveQuotes(disposition.Name).Value is { } name && !parts.ContainsKey(name))
                {
                    using var content = new MemoryStream();
                    await section.Body.CopyToAsync(content, cancellationToken);
                    parts[name] = content.ToArray();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return null;
        }

        return parts;
    }

    /// <summary>The body, or null as soon as it is longer than <see cref="MaxBytes"/> (whatever
    /// <c>Content-Length</c> claimed).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static WebAnswer Error(Problem problem) => WebAnswer.Error(problem, ResponsePolicy.Admin);
}
