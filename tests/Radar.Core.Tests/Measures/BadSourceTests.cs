using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Http;
using Radar.Core.Sources;
using static Radar.Core.Tests.Measures.TestDocs;

namespace Radar.Core.Tests.Measures;

/// <summary>
/// Every kind of broken source: the source is marked failed with its reason, the measures
/// already stored from it stay exactly as they were, the other sources still ingest, and the next
/// run tries again.
/// </summary>
public class BadSourceTests(AzuriteFixture azurite)
{
    private const string Good = "file:good.json";

    public static TheoryData<string, string, string> BrokenFiles => new()
    {
        { "malformed JSON", "{ \"radar\": { \"id\": \"testradar\", ", "Not valid JSON" },
        { "JSON of the wrong shape", "{ \"items\": [ { \"id\": \"wlan\" } ] }", "Wrong shape" },
        { "an empty file", "", "empty" },
        { "another radar than configured", Doc("andere-stadt", Measure("wlan")), "radar 'andere-stadt'" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public async Task A_broken_file_fails_its_source_only_and_the_next_run_retries(string what, string broken, string reason)
    {
        Assert.NotNull(what);
        await using var h = MeasuresHarness.Create(azurite,
            [("file:bad.json", SourceKinds.MeasuresJson, "testradar", null), (Good, SourceKinds.MeasuresJson, null, null)]);
        h.Write("bad.json", Doc(Measure("wlan"), Measure("e-akte")));
        h.Write("good.json", Doc("zweitradar", Measure("bibliothek")));
        await h.RunAsync();
        var before = await h.SnapshotAsync();

        h.Write("bad.json", broken);
        h.Write("good.json", Doc("zweitradar", Measure("bibliothek", "umgesetzt")));
        h.Clock.Advance(TimeSpan.FromMinutes(30));
        var report = await h.RunAsync();

        var bad = report.Sources[0];
        Assert.Equal(SourceOutcomes.Failed, bad.Outcome);
        Assert.Contains(reason, bad.Error, StringComparison.Ordinal);
        Assert.Equal(before, await h.SnapshotAsync());
        Assert.Equal((SourceOutcomes.Ingested, 1), (report.Sources[1].Outcome, report.Sources[1].StatusChanged));
        var state = await h.Sources.GetAsync(bad.Source, TestContext.Current.CancellationToken);
        Assert.Equal((1, bad.Error), (state!.ConsecutiveFailures, state.LastError));

        // Fixed, and past its back-off: the next run picks it up again.
        h.Write("bad.json", Doc(Measure("wlan", "umgesetzt"), Measure("e-akte")));
        h.Clock.Advance(TimeSpan.FromMinutes(30));
        var next = await h.RunAsync();

        Assert.Equal((SourceOutcomes.Ingested, 1), (next.Sources[0].Outcome, next.Sources[0].StatusChanged));
        Assert.Equal(0, (await h.Sources.GetAsync(bad.Source, TestContext.Current.CancellationToken))!.ConsecutiveFailures);
    }

    [Fact]
    public async Task A_CSV_missing_a_required_column_fails_its_source_and_stored_measures_stay()
    {
        var definition = "file:" + Path.Combine(SamplesFolder, "musterstadt.radar.json");
        await using var h = MeasuresHarness.Create(azurite,
            [("file:muster.csv", SourceKinds.MeasuresCsv, "musterstadt", definition), (Good, SourceKinds.MeasuresJson, null, null)]);
        h.Write("muster.csv", "ID;Titel;Kernbereich;Status\nwlan;WLAN;Bürgerservice;Laufend\n");
        h.Write("good.json", Doc(Measure("bibliothek")));
        await h.RunAsync();
        var before = await h.SnapshotAsync("musterstadt");

        h.Write("muster.csv", "ID;Titel;Kernbereich;Referat\nwlan;WLAN;Bürgerservice;Hauptamt\n");
        h.Write("good.json", Doc(Measure("bibliothek"), Measure("neu")));
        var report = await h.RunAsync(SourceRunMode.Now);

        Assert.Equal(SourceOutcomes.Failed, report.Sources[0].Outcome);
        Assert.Contains("Missing required column 'Status'", report.Sources[0].Error, StringComparison.Ordinal);
        Assert.Equal(before, await h.SnapshotAsync("musterstadt"));
        Assert.Equal(1, report.Sources[1].Created);
    }

    [Fact]
    public async Task Unknown_areas_and_statuses_and_duplicate_ids_skip_records_and_leave_their_stored_measures_alone()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)]);
        h.Write("radar.json", Doc(Measure("wlan"), Measure("e-akte"), Measure("bibliothek"), Measure("museum")));
        await h.RunAsync();

        h.Write("radar.json", Doc(
            Measure("wlan", status: "fast-fertig"),
            Measure("e-akte", area: "mond"),
            Measure("bibliothek", "umgesetzt"),
            Measure("bibliothek", "idee"),
            Measure("museum", "umgesetzt")));
        var report = Assert.Single((await h.RunAsync()).Sources);

        Assert.Equal(SourceOutcomes.Ingested, report.Outcome);
        Assert.Equal((5, 1, 0), (report.Read, report.StatusChanged, report.Removed));
        Assert.Equal(4, report.Skipped.Count);
        Assert.Contains(report.Skipped, s => s.Index == 0 && s.Reason.Contains("Unknown status 'fast-fertig'", StringComparison.Ordinal));
        Assert.Contains(report.Skipped, s => s.Index == 1 && s.Reason.Contains("Unknown area 'mond'", StringComparison.Ordinal));
        Assert.Equal(2, report.Skipped.Count(s => s.Reason.Contains("Duplicate id 'bibliothek'", StringComparison.Ordinal)));
        foreach (var id in new[] { "wlan", "e-akte", "bibliothek" })
        {
            Assert.Single(await h.HistoryAsync(id));
        }
    }

    [Fact]
    public async Task Remote_sources_that_answer_500_stall_or_send_50_MB_fail_with_a_reason_and_the_others_still_ingest()
    {
        await using var server = await SourceServer.StartAsync();
        var doc = Utf8(Doc(Measure("wlan")));
        server.MapContent("/ok.json", doc, "application/json");
        server.Map("/error.json", context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        });
        server.Map("/stall.json", async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{ \"radar\": ", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        server.Map("/huge.json", async context =>
        {
            // 50 MB, chunked: no Content-Length to refuse it by.
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
            for (var i = 0; i < 800 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });
        server.Map("/announced.json", context =>
        {
            context.Response.ContentLength = 50L * 1024 * 1024;
            return context.Response.Body.FlushAsync(context.RequestAborted);
        });
        server.Map("/bomb.json", async context =>
        {
            // 50 MB of zeros, gzipped to a few dozen KB: the Content-Length says little.
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                var zeros = new byte[1024 * 1024];
                for (var i = 0; i < 50; i++)
                {
                    await gzip.WriteAsync(zeros, context.RequestAborted);
                }
            }

            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentLength = compressed.Length;
            await context.Response.Body.WriteAsync(compressed.ToArray(), context.RequestAborted);
        });

        var broken = new[] { "/error.json", "/stall.json", "/huge.json", "/announced.json", "/bomb.json" };
        await using var h = MeasuresHarness.Create(azurite,
            [(server.Url("/ok.json"), SourceKinds.MeasuresJson, null, null),
             .. broken.Select(p => (server.Url(p), SourceKinds.MeasuresJson, (string?)"testradar", (string?)null))]);

        var report = await h.RunAsync();

        Assert.Equal((SourceOutcomes.Ingested, 1), (report.Sources[0].Outcome, report.Sources[0].Created));
        var errors = report.Sources.Skip(1).ToDictionary(s => new Uri(s.Url).AbsolutePath, s => (s.Outcome, s.Error));
        Assert.All(errors.Values, e => Assert.Equal(SourceOutcomes.Failed, e.Outcome));
        Assert.StartsWith("HTTP 500", errors["/error.json"].Error, StringComparison.Ordinal);
        Assert.Equal("No complete answer within 3 s.", errors["/stall.json"].Error);
        Assert.Contains("Too large: more than 1,048,576 bytes", errors["/huge.json"].Error, StringComparison.Ordinal);
        Assert.Contains("52,428,800 bytes announced", errors["/announced.json"].Error, StringComparison.Ordinal);
        Assert.Contains("after decompression", errors["/bomb.json"].Error, StringComparison.Ordinal);
        Assert.Single((await h.Queries.GetRadarAsync(null, TestContext.Current.CancellationToken))!.Measures);
    }
}
