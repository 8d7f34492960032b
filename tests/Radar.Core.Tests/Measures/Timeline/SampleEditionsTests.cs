using Radar.Core.Measures.Timeline;
using Radar.Core.Sources;
using static Radar.Core.Tests.Measures.TestDocs;

namespace Radar.Core.Tests.Measures.Timeline;

/// <summary>The Munich sample as the local run imports it: five editions 2020–2024, each read
/// without a skipped record, with a timeline a new user can see something in.</summary>
public class SampleEditionsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_Munich_sample_is_five_editions_and_the_current_radar_flags_what_is_new_since_2023()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Radar:Sources:0:Id"] = "muenchen",
            ["Radar:Sources:0:Url"] = "file:" + Path.Combine(SamplesFolder, "muenchen.json"),
            ["Radar:Sources:0:Kind"] = SourceKinds.MeasuresJson,
        };
        for (var year = 2020; year <= 2023; year++)
        {
            settings[$"Radar:Sources:0:Editions:{year - 2020}"] = "file:" + Path.Combine(SamplesFolder, "muenchen-editions", $"{year}.json");
        }

        await using var h = MeasuresHarness.Create(azurite, [], settings);
        var ct = TestContext.Current.CancellationToken;

        var report = Assert.Single((await h.RunAsync()).Sources);
        var radar = (await h.Queries.GetRadarAsync("muenchen", ct))!;
        var diff = (await h.Time.GetDiffAsync("muenchen", "2020", "2024", ct)).Value!;
        var in2022 = (await h.Time.GetRadarAsOfAsync("muenchen", null, "2022", ct)).Value!;

        Assert.Equal(("2024", EditionOutcomes.Imported), (report.Edition, report.EditionOutcome));
        Assert.Empty(report.Skipped);
        Assert.All(report.Editions, e => Assert.Equal((EditionOutcomes.Imported, 0), (e.Outcome, e.Skipped.Count)));
        Assert.Equal(["2024", "2023", "2022", "2021", "2020"], radar.Editions.Select(e => e.Id));
        Assert.Equal(48, radar.Measures.Count);
        Assert.Equal("2023", radar.Window.Edition);
        Assert.Equal(
            ["autonomer-shuttle", "chatbot-buergerservice", "digitale-personalakte", "digitaler-maengelmelder", "digitaler-posteingang",
             "prozessautomatisierung", "stadtarchiv-digital", "stadtklima-sensornetz", "verkehrsmanagement-echtzeit"],
            radar.Measures.Where(m => m.New).Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Equal(7, radar.Totals.Moved);
        Assert.Equal((34, 48), (diff.Totals.MeasuresFrom, diff.Totals.MeasuresTo));
        Assert.True(diff.Added.Count > 10 && diff.StatusMoved.Count > 10 && diff.Removed.Count == 2, MeasureJson(diff.Totals));
        Assert.Equal(38, in2022.Measures.Count);
        Assert.DoesNotContain(in2022.Measures, m => m.Id == "fax-abloesung");
        Assert.Contains(in2022.Measures, m => m.Id == "oeffentliches-wlan" && m.Kpis.Any(k => k.Name == "Hotspots" && k.Value == 1180));
    }

    private static string MeasureJson(object value) => Radar.Core.Measures.MeasureJson.Serialize(value);
}
