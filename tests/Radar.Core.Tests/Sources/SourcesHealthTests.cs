using Radar.Core.Sources;
using Radar.Core.Tests.Measures;
using static Radar.Core.Tests.Measures.TestDocs;

namespace Radar.Core.Tests.Sources;

public class SourcesHealthTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Health_lists_every_source_with_its_state_and_degrades_while_one_fails()
    {
        await using var h = MeasuresHarness.Create(azurite,
            [("file:good.json", SourceKinds.MeasuresJson, null, null), ("file:missing.json", SourceKinds.MeasuresJson, "testradar", null),
             ("file:later.json", SourceKinds.MeasuresCsv, null, null)]);
        var ct = TestContext.Current.CancellationToken;
        h.Write("good.json", Doc(Measure("wlan")));
        var contributor = new SourcesHealthContributor(h.Sources, h.Clock);

        var beforeRun = await contributor.CheckAsync(ct);
        await h.RunAsync();
        var afterRun = await contributor.CheckAsync(ct);

        var never = Assert.IsType<SourcesHealth>(beforeRun.Details);
        Assert.All(never.Items, s => Assert.Equal("never-fetched", s.State));
        Assert.Contains(never.SettingsProblems!, p => p.Contains("Radar__Sources__2", StringComparison.Ordinal));
        Assert.False(afterRun.Healthy);
        var health = Assert.IsType<SourcesHealth>(afterRun.Details);
        Assert.Equal("degraded", health.Status);
        var good = health.Items.Single(s => s.Url == "file:good.json");
        var bad = health.Items.Single(s => s.Url == "file:missing.json");
        Assert.Equal(("ok", MeasuresHarness.Start, 0), (good.State, good.LastSuccess!.Value, good.ConsecutiveFailures));
        Assert.NotNull(good.ETag);
        Assert.Equal(("failing", 1), (bad.State, bad.ConsecutiveFailures));
        Assert.Contains("File not found", bad.LastError, StringComparison.Ordinal);
        Assert.True(bad.NextAttempt > MeasuresHarness.Start);
    }
}
