using System.Text.Json.Nodes;
using Radar.Core.Measures;
using Radar.Core.Measures.Ingest;
using Radar.Core.Sources;
using static Radar.Core.Tests.Measures.TestDocs;

namespace Radar.Core.Tests.Measures;

public class MeasureIngestTests(AzuriteFixture azurite)
{
    private static MeasureSourceReport Only(MeasureIngestReport report) => Assert.Single(report.Sources);

    [Fact]
    public async Task A_first_run_creates_every_measure_with_a_created_change_and_the_same_input_again_changes_nothing()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)]);
        h.Write("radar.json", Doc(Measure("wlan"), Measure("e-akte", "umgesetzt", "stadtverwaltung")));

        var first = Only(await h.RunAsync());
        var again = Only(await h.RunAsync());
        var full = Only(await h.RunAsync(SourceRunMode.Full));

        Assert.Equal((SourceOutcomes.Ingested, 2, 2), (first.Outcome, first.Read, first.Created));
        Assert.Equal(SourceOutcomes.NotModified, again.Outcome);
        Assert.Equal((SourceOutcomes.Ingested, 0, 2), (full.Outcome, full.Created + full.Updated + full.StatusChanged, full.Unchanged));
        var history = await h.HistoryAsync("wlan");
        var created = Assert.Single(history);
        Assert.Equal(ChangeKinds.Created, created.Kind);
        // A first import: the id says when it was seen, the date when the measure started.
        Assert.Equal("testradar:wlan:20250301T100000Z", created.Id);
        Assert.Equal("Maßnahme wlan", created.Title);
        Assert.Equal(BerlinTime.EndOfDay(new DateOnly(2020, 1, 1)), created.At);
        Assert.True(created.FirstImport);
        Assert.Contains(created.Fields, f => f.Field == "status" && f.Old is null && f.New!.GetValue<string>() == "in-umsetzung");
    }

    [Fact]
    public async Task A_status_change_is_exactly_one_status_changed_and_running_again_adds_none()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)]);
        h.Write("radar.json", Doc(Measure("wlan", "in-planung"), Measure("e-akte")));
        await h.RunAsync();
        h.Clock.Advance(TimeSpan.FromDays(1));

        h.Write("radar.json", Doc(Measure("wlan", "in-umsetzung"), Measure("e-akte")));
        var changed = Only(await h.RunAsync());
        var again = Only(await h.RunAsync(SourceRunMode.Full));

        Assert.Equal((1, 0, 1), (changed.StatusChanged, changed.Updated, changed.Unchanged));
        Assert.Equal((0, 2), (again.StatusChanged, again.Unchanged));
        var history = await h.HistoryAsync("wlan");
        Assert.Equal([ChangeKinds.StatusChanged, ChangeKinds.Created], history.Select(c => c.Kind));
        var change = history[0];
        Assert.Equal(("in-planung", "in-umsetzung"), (change.From, change.To));
        Assert.Equal(MeasuresHarness.Start.AddDays(1), change.At);
        var field = Assert.Single(change.Fields);
        Assert.Equal(("status", "in-planung", "in-umsetzung"), (field.Field, field.Old!.GetValue<string>(), field.New!.GetValue<string>()));
        Assert.Single(await h.HistoryAsync("e-akte"));
    }

    [Fact]
    public async Task An_edit_is_updated_with_old_and_new_value_of_every_changed_field()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)]);
        h.Write("radar.json", Doc(Measure("wlan")));
        await h.RunAsync();

        var edited = Measure("wlan", title: "Öffentliches WLAN");
        edited["progress"] = 75;
        edited["tags"] = new JsonArray("WLAN", "Hotspot");
        edited.Remove("start");
        h.Write("radar.json", Doc(edited));
        var report = Only(await h.RunAsync());

        Assert.Equal(1, report.Updated);
        var change = (await h.HistoryAsync("wlan"))[0];
        Assert.Equal(ChangeKinds.Updated, change.Kind);
        Assert.Equal("Öffentliches WLAN", change.Title);
        var fields = change.Fields.ToDictionary(f => f.Field);
        Assert.Equal(["progress", "start", "tags", "title"], fields.Keys.Order());
        Assert.Equal((40, 75), (fields["progress"].Old!.GetValue<int>(), fields["progress"].New!.GetValue<int>()));
        Assert.Equal("2020-01-01", fields["start"].Old!.GetValue<string>());
        Assert.Null(fields["start"].New);
        Assert.Equal("[\"WLAN\",\"Hotspot\"]", fields["tags"].New!.ToJsonString());
    }

    [Fact]
    public async Task A_measure_missing_from_its_source_is_removed_not_deleted_and_comes_back_restored()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)]);
        var ct = TestContext.Current.CancellationToken;
        h.Write("radar.json", Doc(Measure("wlan"), Measure("e-akte")));
        await h.RunAsync();

        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Write("radar.json", Doc(Measure("e-akte")));
        var removed = Only(await h.RunAsync());
        var radarWithout = await h.Queries.GetRadarAsync("testradar", ct);
        var detailWhileRemoved = await h.Queries.GetMeasureAsync("testradar", "wlan", ct);

        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Write("radar.json", Doc(Measure("wlan", "umgesetzt"), Measure("e-akte")));
        var restored = Only(await h.RunAsync());

        Assert.Equal(1, removed.Removed);
        Assert.DoesNotContain(radarWithout!.Measures, m => m.Id == "wlan");
        Assert.True(detailWhileRemoved!.Removed);
        Assert.Equal(1, restored.Restored);
        var history = await h.HistoryAsync("wlan");
        Assert.Equal([ChangeKinds.Restored, ChangeKinds.Removed, ChangeKinds.Created], history.Select(c => c.Kind));
        Assert.Equal(("in-umsetzung", "umgesetzt"), (history[0].From, history[0].To));
        Assert.Equal([3, 2, 1], history.Select(c => c.Sequence));
        Assert.Contains((await h.Queries.GetRadarAsync("testradar", ct))!.Measures, m => m.Id == "wlan" && m.Status == "umgesetzt");
    }

    [Fact]
    public async Task The_history_rebuilds_every_measure_as_it_stood_at_any_past_moment()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)]);
        var versions = new List<(DateTimeOffset At, JsonObject? Wlan)>();
        async Task Step(params JsonObject[] measures)
        {
            h.Write("radar.json", Doc(measures));
            await h.RunAsync(SourceRunMode.Full);
            versions.Add((h.Clock.GetUtcNow(), measures.FirstOrDefault(m => (string?)m["id"] == "wlan")));
            h.Clock.Advance(TimeSpan.FromDays(10));
        }

        var v2 = Measure("wlan", "in-umsetzung", title: "WLAN überall");
        v2["goals"] = new JsonArray("Alle Plätze", "Alle U-Bahnhöfe");
        var v3 = v2.DeepClone().AsObject();
        v3["status"] = "umgesetzt";
        v3["progress"] = 100;
        v3["kpis"]!.AsArray().Add(new JsonObject { ["name"] = "Hotspots", ["value"] = 1300, ["asOf"] = "2025-06-30" });
        await Step(Measure("wlan", "idee"), Measure("e-akte"));
        await Step(v2, Measure("e-akte"));
        await Step(v3, Measure("e-akte"));
        await Step(Measure("e-akte"));
        await Step(v3, Measure("e-akte"));

        var history = await h.HistoryAsync("wlan");
        // Created by the first import, dated by its start (2020-01-01).
        Assert.Null(MeasureHistory.AsOf(history, BerlinTime.EndOfDay(new DateOnly(2019, 12, 31))));
        foreach (var (at, expected) in versions)
        {
            var rebuilt = MeasureHistory.AsOf(history, at.AddDays(5));
            if (expected is null)
            {
                Assert.Null(rebuilt);
            }
            else
            {
                var want = JsonMeasureReader.Read(Utf8(Doc(expected.DeepClone().AsObject()))).Measures[0];
                Assert.Equal(MeasureJson.Canonical(want), MeasureJson.Canonical(rebuilt!));
            }
        }
    }

    [Fact]
    public async Task Several_radars_are_kept_apart_and_a_CSV_radar_gets_its_definition()
    {
        await using var h = MeasuresHarness.Create(azurite,
        [
            ("file:a.json", SourceKinds.MeasuresJson, null, null),
            ("file:" + Path.Combine(SamplesFolder, "musterstadt.csv"), SourceKinds.MeasuresCsv, "musterstadt",
                "file:" + Path.Combine(SamplesFolder, "musterstadt.radar.json")),
        ]);
        var ct = TestContext.Current.CancellationToken;
        h.Write("a.json", Doc("testradar", Measure("wlan")));

        var report = await h.RunAsync();

        Assert.All(report.Sources, s => Assert.Equal(SourceOutcomes.Ingested, s.Outcome));
        Assert.Equal("testradar", await h.Queries.DefaultRadarIdAsync(ct));
        var muster = await h.Queries.GetRadarAsync("musterstadt", ct);
        Assert.Equal(9, muster!.Measures.Count);
        Assert.Equal("Bildung & Kultur", muster.Radar.Areas[1].Label);
        Assert.Single((await h.Queries.GetRadarAsync(null, ct))!.Measures);
        Assert.Null(await h.Queries.GetMeasureAsync(null, "buergerkonto", ct));
        Assert.NotNull(await h.Queries.GetMeasureAsync("musterstadt", "buergerkonto", ct));
    }

    [Fact]
    public async Task The_radar_flags_new_and_moved_measures_within_the_window_and_counts_area_by_status()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)],
            new Dictionary<string, string?> { ["Radar:Measures:NewWindowDays"] = "30" });
        var ct = TestContext.Current.CancellationToken;
        h.Write("radar.json", Doc(Measure("alt", "idee"), Measure("bewegt", "idee")));
        await h.RunAsync();
        h.Clock.Advance(TimeSpan.FromDays(60));
        h.Write("radar.json", Doc(Measure("alt", "idee"), Measure("bewegt", "umgesetzt"), Measure("neu", "idee", "stadtgesellschaft")));
        await h.RunAsync();

        var view = await h.Queries.GetRadarAsync(null, ct);

        var flags = view!.Measures.ToDictionary(m => m.Id, m => (m.New, m.Moved));
        Assert.Equal((false, false), flags["alt"]);
        Assert.Equal((false, true), flags["bewegt"]);
        Assert.Equal((true, false), flags["neu"]);
        Assert.Equal(1, view.Counts["infrastruktur"]["idee"]);
        Assert.Equal(1, view.Counts["infrastruktur"]["umgesetzt"]);
        Assert.Equal(1, view.Counts["stadtgesellschaft"]["idee"]);
        Assert.Equal(0, view.Counts["stadtverwaltung"]["idee"]);
        Assert.Equal(30, view.Window.Days);
        Assert.Equal("/massnahmen/neu", view.Measures.Single(m => m.Id == "neu").Url);
    }
}
