using Microsoft.Extensions.Options;
using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;

namespace Radar.Core.OpenData;

/// <summary>A download as sent: bytes, media type, the file name it is saved as, and the newest data in it.</summary>
public sealed record OpenDataFile(byte[] Content, string ContentType, string FileName, DateTimeOffset? LastModified);

/// <summary>The formats of a download.</summary>
public enum OpenDataFormat
{
    Json,
    Csv,
}

/// <summary>
/// Radar's open data: each edition of a radar and its current state as a download (the JSON
/// import format, so it round-trips; CSV for German Excel), and the DCAT-AP.de description of
/// every radar's downloads (<see cref="DcatCatalog"/>). Reads the radars' timelines
/// (<see cref="RadarTimelineLoader"/>, cached per version) and answers what
/// <see cref="RadarTime.AsOf"/> answers, so a download says what the report and the API say.
/// </summary>
public sealed class OpenDataService(
    RadarTimelineLoader loader,
    IRadarReads store,
    IOptions<OpenDataOptions> options,
    IOptions<MeasuresOptions> measures,
    TimeProvider clock)
{
    /// <summary>The edition id that means "the radar now".</summary>
    public const string Current = "current";

    /// <summary><c>/api/opendata/{radar}/{edition}.json|.csv</c>; <paramref name="edition"/>
    /// <see cref="Current"/> is the current state. Unknown radar or edition: a 404 problem.</summary>
    public async Task<TimeResult<OpenDataFile>> GetDownloadAsync(string radarId, string edition, OpenDataFormat format, CancellationToken cancellationToken)
    {
        if (!Slug.IsValid(radarId, 50) || await loader.LoadAsync(radarId, cancellationToken) is not { } timeline)
        {
            return Fail(TimeProblem.NotFound("radar", $"There is no radar '{Shorten(radarId)}'."));
        }

        Edition? found = null;
        if (edition != Current && (found = timeline.FindEdition(edition)) is null)
        {
            var known = string.Join(", ", timeline.Editions.Select(e => e.Id).Reverse().Prepend(Current));
            return Fail(TimeProblem.NotFound("edition", $"Radar '{radarId}' has no edition '{Shorten(edition)}' (downloads: {known})."));
        }

        var now = clock.GetUtcNow();
        var point = found is null ? TimePoint.Latest : TimePoint.Of(found);
        var view = RadarTime.AsOf(timeline, point, now, measures.Value.NewWindowDays, id => id);
        var definition = found?.Definition ?? timeline.Radar;
        var content = view.Measures.Select(m => m.Content);
        var info = found is null ? null : new EditionInfo(found.Id, found.Title, found.Published, found.Introduction);
        var name = $"{radarId}-{(found is null ? "aktuell" : found.Id)}";
        var modified = found?.ImportedAt ?? LastChange(timeline, now);
        return new TimeResult<OpenDataFile>(format == OpenDataFormat.Json
            ? new OpenDataFile(ImportFormatWriter.Write(definition, info, content), "application/json; charset=utf-8", name + ".json", modified)
            : new OpenDataFile(GermanCsvWriter.Write(definition, content), "text/csv; charset=utf-8", name + ".csv", modified), null);
    }

    /// <summary>The DCAT-AP.de catalogue of every radar's downloads, URLs made absolute on <paramref name="baseUrl"/>.</summary>
    public async Task<DcatCatalog> GetCatalogAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        var radars = await store.ListRadarRecordsAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var datasets = new List<DcatCatalog.RadarDataset>();
        foreach (var record in radars.OrderBy(r => r.Definition!.Id, StringComparer.Ordinal))
        {
            if (await loader.LoadAsync(record.Definition!.Id, cancellationToken) is { } timeline)
            {
                datasets.Add(new DcatCatalog.RadarDataset(timeline.Radar, timeline.Editions, timeline.FirstAt ?? now, LastChange(timeline, now)));
            }
        }

        return new DcatCatalog(baseUrl, options.Value, datasets);
    }

    /// <summary>The newest recorded state not after now (an edition published today is dated the end of today).</summary>
    private static DateTimeOffset LastChange(RadarTimeline timeline, DateTimeOffset now)
    {
        var times = timeline.Measures.Values.SelectMany(m => m.States).Select(s => s.At).Concat(timeline.Editions.Select(e => e.ImportedAt)).ToList();
        var last = times.Count == 0 ? now : times.Max();
        return last > now ? now : last;
    }

    private static TimeResult<OpenDataFile> Fail(TimeProblem problem) => new(null, problem);

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
