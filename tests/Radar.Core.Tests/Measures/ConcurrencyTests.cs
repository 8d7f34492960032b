using Radar.Core.Measures;
using Radar.Core.Sources;
using static Radar.Core.Tests.Measures.TestDocs;

namespace Radar.Core.Tests.Measures;

public class ConcurrencyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Two_ingests_racing_on_the_same_radar_write_one_history()
    {
        // Two app instances (own services, own in-process lock) on one storage prefix and one file.
        var prefix = AzuriteFixture.NewPrefix();
        await using var first = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)], prefix: prefix);
        await using var second = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)],
            prefix: prefix, folder: Directory.CreateTempSubdirectory("radar-measures-").FullName);
        var measures = Enumerable.Range(1, 60).Select(i => Measure($"massnahme-{i}")).ToArray();
        first.Write("radar.json", Doc(measures));
        second.Write("radar.json", Doc(measures));

        var reports = await Task.WhenAll(first.RunAsync(SourceRunMode.Full), second.RunAsync(SourceRunMode.Full));

        Assert.Equal(60, reports.Sum(r => r.Sources[0].Created));
        Assert.Equal(120, reports.Sum(r => r.Sources[0].Created + r.Sources[0].Unchanged));
        var changes = await first.Store.GetLatestChangesAsync("testradar", 1000, TestContext.Current.CancellationToken);
        Assert.Equal(60, changes.Count);
        Assert.All(changes, c => Assert.Equal(ChangeKinds.Created, c.Kind));
        Assert.Equal(60, changes.Select(c => c.MeasureId).Distinct().Count());
    }

    [Fact]
    public async Task A_write_from_a_stale_read_is_refused_whole_measure_and_change_together()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)]);
        var ct = TestContext.Current.CancellationToken;
        h.Write("radar.json", Doc(Measure("wlan", "idee")));
        await h.RunAsync();
        var stale = (await h.Store.ListMeasuresAsync("testradar", ct)).Single();
        h.Write("radar.json", Doc(Measure("wlan", "in-planung")));
        await h.RunAsync();
        var before = await h.SnapshotAsync();

        var late = stale with { Measure = stale.Measure with { Status = "umgesetzt" }, Version = 2 };
        var change = new MeasureChange
        {
            Id = MeasureChange.MakeId("testradar", "wlan", 2),
            RadarId = "testradar",
            MeasureId = "wlan",
            Sequence = 2,
            Kind = ChangeKinds.StatusChanged,
            At = h.Clock.GetUtcNow(),
            Title = "x",
            Area = "infrastruktur",
            Status = "umgesetzt",
        };

        await Assert.ThrowsAsync<MeasureConcurrencyException>(() => h.Store.ApplyAsync("testradar", [new MeasureWrite(stale, late, change)], ct));
        Assert.Equal(before, await h.SnapshotAsync());
    }
}
