using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Radar.Core.Measures.Timeline;
using Radar.Core.OpenData;
using Radar.Functions.Web;

namespace Radar.Functions.Api;

/// <summary><c>GET /api/opendata/{radar}/{edition}.json</c> (<c>current.json</c>: now): the import
/// format, to save or to import into another Radar.</summary>
public sealed class OpenDataJsonFunction(OpenDataService openData, PublicGet answers)
{
    [Function("OpenDataJson")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/opendata/{radar}/{edition}.json")] HttpRequest request,
        string radar,
        string edition,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, async ct => OpenDataAnswers.File(await openData.GetDownloadAsync(radar, edition, OpenDataFormat.Json, ct)), cancellationToken);
}

/// <summary><c>GET /api/opendata/{radar}/{edition}.csv</c>: CSV for German Excel.</summary>
public sealed class OpenDataCsvFunction(OpenDataService openData, PublicGet answers)
{
    [Function("OpenDataCsv")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/opendata/{radar}/{edition}.csv")] HttpRequest request,
        string radar,
        string edition,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, async ct => OpenDataAnswers.File(await openData.GetDownloadAsync(radar, edition, OpenDataFormat.Csv, ct)), cancellationToken);
}

/// <summary><c>GET /api/dcat.jsonld</c>: the DCAT-AP.de catalogue of the downloads as JSON-LD.</summary>
public sealed class DcatJsonLdFunction(OpenDataService openData, PublicGet answers)
{
    [Function("DcatJsonLd")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/dcat.jsonld")] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, async ct =>
        {
            var catalog = await openData.GetCatalogAsync(answers.BaseUrl(request), ct);
            return new Representation(catalog.JsonLd(), "application/ld+json; charset=utf-8", catalog.LastModified);
        }, cancellationToken);
}

/// <summary><c>GET /api/dcat.ttl</c>: the same catalogue as Turtle (what harvesters read).</summary>
public sealed class DcatTurtleFunction(OpenDataService openData, PublicGet answers)
{
    [Function("DcatTurtle")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "api/dcat.ttl")] HttpRequest request,
        CancellationToken cancellationToken) =>
        answers.AnswerAsync(request, async ct =>
        {
            var catalog = await openData.GetCatalogAsync(answers.BaseUrl(request), ct);
            return new Representation(Encoding.UTF8.GetBytes(catalog.Turtle()), "text/turtle; charset=utf-8", catalog.LastModified);
        }, cancellationToken);
}

internal static class OpenDataAnswers
{
    public static PublicAnswer File(TimeResult<OpenDataFile> result) =>
        result.Value is { } file
            ? new Representation(file.Content, file.ContentType, file.LastModified) { ContentDisposition = $"attachment; filename=\"{file.FileName}\"" }
            : Problem.Of(result.Problem!.Status, result.Problem.Detail);
}
