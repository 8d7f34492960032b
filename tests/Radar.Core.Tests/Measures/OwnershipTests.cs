using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Health;
using Radar.Core.Measures;
using Radar.Core.Measures.Ingest;
using Radar.Core.Sources;
using Radar.Core.Tests.Measures.Timeline;
using static Radar.Core.Tests.Measures.TestDocs;

namespace Radar.Core.Tests.Measures;

/// <summary>
/// One owner per radar: a second source naming a radar another source owns is refused (report
/// and health say why), unless both share it by settings with the same definition; a radar
/// merged before this rule is left alone until all but one of its sources are removed.
/// </summary>
public class OwnershipTests(AzuriteFixture azurite)
{
    /// <summary>A CSV radar definition for 'testradar' that is not the JSON one (other areas and statuses).</summary>
    private const string OtherDefinition = """
        { "radar": { "id": "testradar", "title": "Testradar als CSV",
          "areas": [ { "id": "buergerservice", "label": "Bürgerservice" }, { "id": "verwaltung", "label": "Verwaltung" } ],
          "statuses": [ { "id": "laufend", "label": "Laufend" }, { "id": "geplant", "label": "Geplant" } ] },
          "measures": [] }
        """;

    private const string Csv = "ID;Titel;Kernbereich;Status\nbuergerkonto;Bürgerkonto;Bürgerservice;Laufend\nwlan;WLAN im Rathaus;Verwaltung;Geplant\n";

    private static Dictionary<string, string?> TwoSources(bool share = false, string definition = "file:definition.json") => new()
    {
        ["Radar:Sources:0:Id"] = "stadt-json",
        ["Radar:Sources:0:Url"] = "file:radar.json",
        ["Radar:Sources:0:Kind"] = SourceKinds.MeasuresJson,
        ["Radar:Sources:0:SharesRadar"] = share ? "true" : null,
        ["Radar:Sources:1:Id"] = "stadt-csv",
        ["Radar:Sources:1:Url"] = "file:radar.csv",
        ["Radar:Sources:1:Kind"] = SourceKinds.MeasuresCsv,
        ["Radar:Sources:1:Radar"] = "testradar",
        ["Radar:Sources:1:Definition"] = definition,
        ["Radar:Sources:1:SharesRadar"] = share ? "true" : null,
    };

    private static async Task<SourcesHealth> HealthAsync(MeasuresHarness h)
    {
        var contributor = h.Services.GetServices<IHealthContributor>().Single(c => c.Name == "sources");
        var contribution = await contributor.CheckAsync(TestContext.Current.CancellationToken);
        return (SourcesHealth)contribution.Details!;
    }

    [Fact]
    public async Task A_second_source_naming_a_radar_another_source_owns_is_refused_in_the_report_and_in_health()
    {
        await using var h = MeasuresHarness.Create(azurite, [], TwoSources());
        var ct = TestContext.Current.CancellationToken;
        h.Write("radar.json", Doc(Measure("wlan"), Measure("akte", "umgesetzt", "stadtverwaltung")));
        h.Write("radar.csv", Csv);
        h.Write("definition.json", OtherDefinition);

        var report = await h.RunAsync();
        var health = await HealthAsync(h);
        var view = await h.Queries.GetRadarAsync("testradar", ct);

        var (json, csv) = (report.Sources[0], report.Sources[1]);
        Assert.Equal((SourceOutcomes.Ingested, 2), (json.Outcome, json.Created));
        Assert.Equal(SourceOutcomes.Failed, csv.Outcome);
        Assert.Contains("Radar 'testradar' belongs to source 'stadt-json'; source 'stadt-csv' names it too", csv.Error, StringComparison.Ordinal);
        Assert.Contains("SharesRadar", csv.Error, StringComparison.Ordinal);
        var csvHealth = health.Items.Single(s => s.Id == "stadt-csv");
        Assert.Equal(("failing", csv.Error), (csvHealth.State, csvHealth.LastError));
        Assert.Equal("degraded", health.Status);
        // One definition, and only the owner's measures: nothing the definition does not know.
        Assert.Equal("Testradar testradar", view!.Radar.Title);
        Assert.Equal(["akte", "wlan"], view.Measures.Select(m => m.Id).Order());
        Assert.Equal(2, view.Totals.Areas.Values.Sum());
        Assert.Equal("stadt-json", (await h.Store.GetRadarRecordAsync("testradar", ct))!.Owner);
    }

    [Fact]
    public async Task Sources_that_share_a_radar_by_settings_both_ingest_when_their_definitions_agree_and_are_refused_when_not()
    {
        await using var agree = MeasuresHarness.Create(azurite, [], TwoSources(share: true));
        await using var differ = MeasuresHarness.Create(azurite, [], TwoSources(share: true));
        var ct = TestContext.Current.CancellationToken;
        foreach (var h in new[] { agree, differ })
        {
            h.Write("radar.json", Doc(Measure("wlan")));
            h.Write("radar.csv", "ID;Titel;Kernbereich;Status\nbuergerkonto;Bürgerkonto;Stadtgesellschaft;Idee\n");
        }

        agree.Write("definition.json", new JsonObject { ["radar"] = RadarBlock(), ["measures"] = new JsonArray() }.ToJsonString());
        differ.Write("definition.json", OtherDefinition.Replace("Bürgerservice;Laufend", "", StringComparison.Ordinal));

        var both = await agree.RunAsync();
        var refused = await differ.RunAsync();

        Assert.All(both.Sources, s => Assert.Equal(SourceOutcomes.Ingested, s.Outcome));
        Assert.Equal(["buergerkonto", "wlan"], (await agree.Queries.GetRadarAsync("testradar", ct))!.Measures.Select(m => m.Id).Order());
        // A shared radar: each source removes only what it brought.
        agree.Write("radar.json", Doc(Measure("akte")));
        var next = await agree.RunAsync();
        Assert.Equal((1, 1), (next.Sources[0].Created, next.Sources[0].Removed));
        Assert.Equal(["akte", "buergerkonto"], (await agree.Queries.GetRadarAsync("testradar", ct))!.Measures.Select(m => m.Id).Order());
        Assert.Equal(SourceOutcomes.Failed, refused.Sources[1].Outcome);
        Assert.Contains("definitions (title, areas, statuses) differ", refused.Sources[1].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_radar_merged_before_the_rule_is_left_alone_until_all_but_one_source_are_removed()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var ct = TestContext.Current.CancellationToken;
        string before;
        MeasureIngestReport refused;
        await using (var h = MeasuresHarness.Create(azurite, [], TwoSources(), prefix: prefix))
        {
            await LegacyHistoryTests.WriteLegacyAsync(h, "testradar",
            [
                ("stadt-json", [LegacyHistoryTests.M("wlan", "idee")], [MeasuresHarness.Start.AddDays(-30)], false),
                ("stadt-csv", [LegacyHistoryTests.M("buergerkonto", "idee", "stadtgesellschaft")], [MeasuresHarness.Start.AddDays(-30)], false),
            ]);
            h.Write("radar.json", Doc(Measure("wlan", "umgesetzt")));
            h.Write("radar.csv", Csv);
            h.Write("definition.json", OtherDefinition);
            refused = await h.RunAsync();
            before = MeasureJson.Serialize(await h.Store.ListMeasuresAsync("testradar", ct));
        }

        // The admin removes the CSV source: the JSON source owns the radar, and its measures are all there is.
        await using var after = MeasuresHarness.Create(azurite, [], new Dictionary<string, string?>(TwoSources().Where(s => s.Key.StartsWith("Radar:Sources:0", StringComparison.Ordinal))), prefix: prefix);
        after.Write("radar.json", Doc(Measure("wlan", "umgesetzt")));
        var owned = Assert.Single((await after.RunAsync(SourceRunMode.Now)).Sources);

        Assert.All(refused.Sources, s => Assert.Equal(SourceOutcomes.Failed, s.Outcome));
        Assert.All(refused.Sources, s => Assert.Contains("merged before one owner per radar was enforced", s.Error, StringComparison.Ordinal));
        Assert.Contains("\"status\":\"idee\"", before, StringComparison.Ordinal);
        Assert.DoesNotContain("umgesetzt", before, StringComparison.Ordinal);
        Assert.Equal((SourceOutcomes.Ingested, 1, 1), (owned.Outcome, owned.StatusChanged, owned.Removed));
        Assert.Equal(["wlan"], (await after.Queries.GetRadarAsync("testradar", ct))!.Measures.Select(m => m.Id));
        Assert.Equal("stadt-json", (await after.Store.GetRadarRecordAsync("testradar", ct))!.Owner);
        Assert.Equal(MeasureStore.CurrentSchema, (await after.Store.GetRadarRecordAsync("testradar", ct))!.Schema);
        Assert.Equal(ChangeKinds.Removed, (await after.Store.GetHistoryAsync("testradar", "buergerkonto", ct))[0].Kind);
    }
}
