using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;
using Radar.Core.OpenData;

namespace Radar.Functions.Tests.OpenData;

/// <summary>
/// The downloads as a journalist or another city's Radar uses them: every edition and the
/// current state as JSON that <see cref="JsonMeasureReader"/> reads back to exactly the edition
/// it was imported from, and as CSV that German Excel opens and <see cref="CsvMeasureReader"/>
/// reads back to the same measures.
/// </summary>
public class DownloadTests(OpenDataSite site, AzuriteFixture azurite) : IClassFixture<OpenDataSite>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Downloads => ["2020", "2021", "2022", "2023", "2024", "current"];

    /// <summary>What the sample file of <paramref name="edition"/> says (current: the 2024 file,
    /// as nothing was observed after it), read as Radar reads a source.</summary>
    private static MeasureSourceContent Source(string edition) =>
        JsonMeasureReader.Read(File.ReadAllBytes(OpenDataSite.MunichFile(edition == "current" ? "2024" : edition)));

    private async Task<(HttpResponseMessage Response, byte[] Body)> GetAsync(string url)
    {
        var response = await site.App.Client.GetAsync(url, Ct);
        return (response, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    /// <summary>Every measure field by field (its canonical JSON holds every field), by id.</summary>
    private static void SameMeasures(IEnumerable<Measure> expected, IEnumerable<Measure> actual, string what)
    {
        var want = expected.ToDictionary(m => m.Id, MeasureJson.Canonical);
        var got = actual.ToDictionary(m => m.Id, MeasureJson.Canonical);
        Assert.True(want.Count > 0, what);
        Assert.Equal(want.Keys.Order(StringComparer.Ordinal), got.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, json) in want)
        {
            Assert.True(json == got[id], $"{what}, measure {id}:\nexpected {json}\nactual   {got[id]}");
        }
    }

    [Theory]
    [MemberData(nameof(Downloads))]
    public async Task JSON_download_reads_back_as_the_edition_it_was_imported_from(string edition)
    {
        var (response, body) = await GetAsync($"api/opendata/muenchen/{edition}.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"muenchen-{(edition == "current" ? "aktuell" : edition)}.json", response.Content.Headers.ContentDisposition?.FileName);
        var source = Source(edition);
        var download = JsonMeasureReader.Read(body);
        Assert.Empty(download.Skipped);
        Assert.Equal(MeasureJson.Serialize(source.Radar), MeasureJson.Serialize(download.Radar));
        Assert.Equal(edition == "current" ? null : source.Edition, download.Edition);
        SameMeasures(source.Measures, download.Measures, $"{edition}.json");
    }

    [Theory]
    [MemberData(nameof(Downloads))]
    public async Task CSV_download_is_for_German_Excel_and_reads_back_as_the_edition(string edition)
    {
        var (response, body) = await GetAsync($"api/opendata/muenchen/{edition}.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal($"muenchen-{(edition == "current" ? "aktuell" : edition)}.csv", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, body[..3]);
        var text = Encoding.UTF8.GetString(body[3..]);
        Assert.StartsWith(string.Join(';', GermanCsvWriter.Header) + "\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Öffentliches WLAN „M-WLAN“", text, StringComparison.Ordinal);
        var source = Source(edition);
        foreach (var measure in source.Measures)
        {
            // Dates as German Excel reads them (TT.MM.JJJJ), not ISO.
            if (measure.Start is { } start)
            {
                Assert.Contains($";{start:dd.MM.yyyy};", text, StringComparison.Ordinal);
            }

            var status = source.Radar.Statuses.Single(s => s.Id == measure.Status).Label;
            Assert.Contains($";{status};", text, StringComparison.Ordinal);
        }

        var download = CsvMeasureReader.Read(body, source.Radar);
        Assert.Empty(download.Skipped);
        SameMeasures(source.Measures, download.Measures, $"{edition}.csv");
    }

    [Fact]
    public async Task Downloads_imported_into_a_fresh_Radar_give_the_same_downloads_back()
    {
        // Another Radar whose Munich source has never run: it learns Munich only from the
        // downloads, backfilled newest first (order does not matter), 2020–2022 as JSON and
        // 2023–2024 as CSV with the JSON download as the definition part.
        await using var fresh = await RadarApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Radar:Http:CacheSeconds"] = "0",
            ["Radar:Sources:0:Id"] = "muenchen",
            ["Radar:Sources:0:Url"] = "file:samples/measures/muenchen.json",
            ["Radar:Sources:0:Kind"] = "measures-json",
            ["Radar:Sources:0:Radar"] = "muenchen",
        });
        var backfill = fresh.Services.GetRequiredService<EditionService>();
        foreach (var edition in OpenDataSite.MunichEditions.Reverse())
        {
            var (_, json) = await GetAsync($"api/opendata/muenchen/{edition}.json");
            var (_, csv) = await GetAsync($"api/opendata/muenchen/{edition}.csv");
            var document = string.CompareOrdinal(edition, "2023") >= 0 ? EditionService.ReadCsv(csv, json) : EditionService.ReadJson(json);
            var result = await backfill.ImportAsync("muenchen", document, replace: false, Ct);
            Assert.True(result.Status == EditionImportStatus.Imported, $"{edition}: {result.Status} {result.Detail}");
        }

        foreach (var edition in OpenDataSite.MunichEditions.Append("current"))
        {
            foreach (var format in new[] { "json", "csv" })
            {
                var (_, original) = await GetAsync($"api/opendata/muenchen/{edition}.{format}");
                var again = await fresh.Client.GetByteArrayAsync($"api/opendata/muenchen/{edition}.{format}", Ct);
                Assert.True(original.SequenceEqual(again), $"{edition}.{format} differs after the round trip");
            }
        }
    }

    [Fact]
    public async Task A_CSV_radar_downloads_as_the_measures_its_source_holds()
    {
        var definition = JsonMeasureReader.ReadDefinition(File.ReadAllBytes(Path.Combine(OpenDataSite.Samples, "musterstadt.radar.json")));
        var source = CsvMeasureReader.Read(File.ReadAllBytes(Path.Combine(OpenDataSite.Samples, "musterstadt.csv")), definition);

        var (csvResponse, csv) = await GetAsync("api/opendata/musterstadt/current.csv");
        var (jsonResponse, json) = await GetAsync("api/opendata/musterstadt/current.json");

        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, jsonResponse.StatusCode);
        Assert.Equal("musterstadt-aktuell.csv", csvResponse.Content.Headers.ContentDisposition?.FileName);
        Assert.NotEmpty(source.Skipped); // the sample's broken line is not downloaded as if it were a measure
        SameMeasures(source.Measures, CsvMeasureReader.Read(csv, definition).Measures, "musterstadt current.csv");
        var read = JsonMeasureReader.Read(json);
        Assert.Null(read.Edition);
        Assert.Equal(MeasureJson.Serialize(definition), MeasureJson.Serialize(read.Radar));
        SameMeasures(source.Measures, read.Measures, "musterstadt current.json");
    }

    [Fact]
    public async Task An_unknown_radar_or_edition_is_a_404_problem_naming_what_there_is()
    {
        foreach (var (url, says) in new[]
        {
            ("api/opendata/hamburg/current.json", "There is no radar 'hamburg'"),
            ("api/opendata/muenchen/2019.csv", "no edition '2019' (downloads: current, 2024, 2023, 2022, 2021, 2020)"),
            ("api/opendata/musterstadt/2024.json", "no edition '2024' (downloads: current)"),
            ("api/opendata/muenchen/2022.xml", "/api/opendata/muenchen/2022.xml"),
        })
        {
            var (response, body) = await GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Null(response.Content.Headers.ContentDisposition);
            var detail = (string?)JsonNode.Parse(body)!["detail"];
            Assert.True(detail?.Contains(says, StringComparison.Ordinal), $"{url}: {detail}");
        }
    }

    [Fact]
    public async Task A_download_answers_HEAD_and_conditional_requests_like_every_public_GET()
    {
        var (first, body) = await GetAsync("api/opendata/muenchen/2022.csv");
        using var head = await site.App.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "api/opendata/muenchen/2022.csv"), Ct);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "api/opendata/muenchen/2022.csv");
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await site.App.Client.SendAsync(conditional, Ct);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        Assert.Equal(first.Headers.ETag, head.Headers.ETag);
        Assert.Equal(first.Content.Headers.ContentDisposition, head.Content.Headers.ContentDisposition);
        Assert.Equal("*", first.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public void CSV_protects_formulas_from_Excel_and_the_reader_takes_the_protection_off()
    {
        var radar = new RadarDefinition
        {
            Id = "test",
            Title = "Test",
            Areas = [new RadarArea("a", "Bereich A")],
            Statuses = [new RadarStatus("s", "Status S")],
        };
        var measure = new Measure
        {
            Id = "formel",
            Title = "=HYPERLINK(\"https://evil.example\";\"Klick\")",
            Area = "a",
            Status = "s",
            Summary = "+49 89 233-0; \"zitiert\"\nzweite Zeile",
            Goals = ["-5 % Papier", "@alle"],
            Kpis = [new MeasureKpi("Quote", 12.5, "%", new DateOnly(2024, 6, 30)), new MeasureKpi("Anzahl", 1200)],
            Links = [new MeasureLink("Seite", "https://example.org/a?b=1")],
            Start = new DateOnly(2024, 1, 2),
            Updated = new DateTimeOffset(2024, 7, 1, 8, 30, 15, TimeSpan.Zero),
        };

        var csv = GermanCsvWriter.Write(radar, [measure]);
        var text = Encoding.UTF8.GetString(csv);

        Assert.Contains("\"'=HYPERLINK(", text, StringComparison.Ordinal);
        Assert.Contains("Quote=12,5 %@30.06.2024 | Anzahl=1200", text, StringComparison.Ordinal);
        Assert.Contains(";02.01.2024;", text, StringComparison.Ordinal);
        Assert.Contains(";01.07.2024 10:30:15", text, StringComparison.Ordinal);
        var read = CsvMeasureReader.Read(csv, radar);
        Assert.Empty(read.Skipped);
        Assert.Equal(MeasureJson.Canonical(measure), MeasureJson.Canonical(Assert.Single(read.Measures)));
    }
}
