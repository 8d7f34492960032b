using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Measures;
using Radar.Core.Sources;
using static Radar.Core.Tests.Measures.TestDocs;

namespace Radar.Core.Tests.Measures.Timeline;

/// <summary>A radar's first import without editions is not "everything is new": creation is
/// dated by each measure's start when it has one that is not in the future.</summary>
public class FirstImportTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_first_import_dates_creation_by_start_so_only_measures_without_a_past_start_are_new()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)],
            new Dictionary<string, string?> { ["Radar:Measures:NewWindowDays"] = "90" });
        var ct = TestContext.Current.CancellationToken;
        h.Write("radar.json", Doc(
            Measure("seit-2019").With("start", "2019-05-01"),
            Measure("seit-januar").With("start", "2025-01-15"),
            Measure("ab-heute").With("start", "2025-03-01"),
            Measure("ab-2026").With("start", "2026-01-01"),
            Measure("ohne-beginn").With("start", null)));

        await h.RunAsync();
        var view = (await h.Queries.GetRadarAsync("testradar", ct))!;
        var asOf = (await h.Time.GetRadarAsOfAsync("testradar", null, null, ct)).Value!;
        var created = new Dictionary<string, DateTimeOffset>();
        foreach (var id in view.Measures.Select(m => m.Id))
        {
            created[id] = Assert.Single(await h.HistoryAsync(id)).At;
        }

        Assert.Equal(BerlinTime.EndOfDay(new DateOnly(2019, 5, 1)), created["seit-2019"]);
        Assert.Equal(BerlinTime.EndOfDay(new DateOnly(2025, 1, 15)), created["seit-januar"]);
        Assert.Equal(MeasuresHarness.Start, created["ab-heute"]);
        Assert.Equal(MeasuresHarness.Start, created["ab-2026"]);
        Assert.Equal(MeasuresHarness.Start, created["ohne-beginn"]);
        Assert.Equal(["ab-2026", "ab-heute", "ohne-beginn", "seit-januar"], view.Measures.Where(m => m.New).Select(m => m.Id).Order());
        Assert.Equal(4, view.Totals.New);
        Assert.Equal(view.Measures.ToDictionary(m => m.Id, m => m.New), asOf.Measures.ToDictionary(m => m.Id, m => m.New));
        // The feeds read changes newest first: the first import's are one event, not five news.
        Assert.All(await h.Store.GetLatestChangesAsync("testradar", 10, ct), c => Assert.True(c.Bulk));
        var first = Assert.Single(await h.Time.ListEditionSummariesAsync("testradar", 5, ct));
        Assert.Equal((5, 5), (first.Counts.Measures, first.Counts.Created));
    }

    [Fact]
    public async Task What_an_ingest_sees_later_is_new_and_dated_by_the_ingest()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)]);
        h.Write("radar.json", Doc(Measure("alt").With("start", "2019-05-01")));
        await h.RunAsync();
        h.Clock.Advance(TimeSpan.FromDays(200));
        h.Write("radar.json", Doc(Measure("alt").With("start", "2019-05-01"), Measure("neu").With("start", "2019-05-01")));

        await h.RunAsync();

        var neu = Assert.Single(await h.HistoryAsync("neu"));
        Assert.Equal((MeasuresHarness.Start.AddDays(200), false), (neu.At, neu.FirstImport));
        Assert.True((await h.Queries.GetRadarAsync("testradar", TestContext.Current.CancellationToken))!.Measures.Single(m => m.Id == "neu").New);
    }

    [Fact]
    public async Task A_full_run_repairs_derived_rows_and_writes_nothing_when_they_agree()
    {
        await using var h = EditionTests.Harness(azurite);
        var ct = TestContext.Current.CancellationToken;
        foreach (var index in new[] { 0, 1, 2, 3 })
        {
            await EditionTests.BackfillAsync(h, index);
        }

        h.Write("radar.json", EditionDoc("2024", "2024-07-11", EditionTests.Four[3].Measures));
        await h.RunAsync(SourceRunMode.Full);
        var good = await EditionTests.HistoryAsync(h);
        var untouched = await h.SnapshotAsync();
        await h.RunAsync(SourceRunMode.Full);
        Assert.Equal(untouched, await h.SnapshotAsync());

        // Lose a change row and corrupt a current state, as an interrupted write might.
        var table = await h.Services.GetRequiredService<Radar.Core.Storage.RadarStorage>().GetTableAsync(MeasureStore.MeasuresTable, ct);
        var wlan = (await h.Store.GetHistoryAsync("testradar", "wlan", ct))[0];
        await table.DeleteEntityAsync("testradar", MeasureStore.ChangeKey(wlan), cancellationToken: ct);
        var akte = (await h.Store.GetMeasureAsync("testradar", "akte", ct))!;
        await table.UpsertEntityAsync(MeasureStore.ToEntity(akte with { Measure = akte.Measure with { Status = "idee" } }), cancellationToken: ct);
        Assert.NotEqual(good, await EditionTests.HistoryAsync(h));

        await h.RunAsync(SourceRunMode.Full);

        Assert.Equal(good, await EditionTests.HistoryAsync(h));
    }
}
