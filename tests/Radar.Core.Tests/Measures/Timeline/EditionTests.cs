using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Ingest;
using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;
using Radar.Core.Sources;
using static Radar.Core.Tests.Measures.TestDocs;

namespace Radar.Core.Tests.Measures.Timeline;

/// <summary>
/// Editions against real Azurite: the history is a function of the set of editions (every import
/// order gives the same history, field by field), importing twice changes nothing, a changed
/// edition is a conflict unless replaced, deleting derives again, an older edition never
/// overrides what is newer, a backfill waits for the ingest lease, bad documents store nothing.
/// </summary>
public class EditionTests(AzuriteFixture azurite)
{
    /// <summary>Four editions of one radar with a believable evolution: a measure that moves every
    /// year, one retired and brought back, one retired for good, one new each year, a KPI series,
    /// and in 2023 a record that cannot be read (its measure is neither on nor off in 2023).</summary>
    internal static readonly (string Id, string Published, JsonObject[] Measures)[] Four =
    [
        ("2021", "2021-07-15",
        [
            Measure("wlan", "idee").With("progress", 10).With("kpis", Kpis(("2021-06-30", 500))),
            Measure("akte", "in-umsetzung", "stadtverwaltung"),
            Measure("alt", "in-planung", "stadtgesellschaft"),
            Measure("portal", "in-planung", "stadtgesellschaft"),
        ]),
        ("2022", "2022-07-14",
        [
            Measure("wlan", "in-planung").With("progress", 30).With("kpis", Kpis(("2021-06-30", 500), ("2022-06-30", 800))),
            Measure("portal", "in-umsetzung", "stadtgesellschaft"),
            Measure("sensoren", "idee"),
        ]),
        ("2023", "2023-07-13",
        [
            Measure("wlan", "in-umsetzung").With("progress", 60).With("kpis", Kpis(("2021-06-30", 500), ("2022-06-30", 800), ("2023-06-30", 1050))),
            Measure("akte", "in-umsetzung", "stadtverwaltung").With("progress", 70),
            Measure("portal", "in-umsetzung", "stadtgesellschaft").With("progress", 55),
            Measure("sensoren", "kaputt"),
        ]),
        ("2024", "2024-07-11",
        [
            Measure("wlan", "umgesetzt").With("progress", 100).With("kpis", Kpis(("2021-06-30", 500), ("2022-06-30", 800), ("2023-06-30", 1050), ("2024-06-30", 1320))),
            Measure("akte", "umgesetzt", "stadtverwaltung").With("progress", 100),
            Measure("portal", "in-umsetzung", "stadtgesellschaft", title: "Serviceportal").With("progress", 80),
            Measure("sensoren", "in-planung"),
            Measure("neu", "idee", "stadtgesellschaft"),
        ]),
    ];

    internal static JsonArray Kpis(params (string AsOf, int Value)[] values) =>
        new([.. values.Select(v => (JsonNode)new JsonObject { ["name"] = "Hotspots", ["value"] = v.Value, ["unit"] = "Stück", ["asOf"] = v.AsOf })]);

    internal static MeasuresHarness Harness(AzuriteFixture azurite, string? prefix = null) =>
        MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, "testradar", null)], prefix: prefix);

    internal static async Task<EditionImportResult> BackfillAsync(MeasuresHarness h, int index, bool replace = false)
    {
        var (id, published, measures) = Four[index];
        var document = EditionService.ReadJson(Utf8(EditionDoc(id, published, measures)));
        return await h.Backfill.ImportAsync("testradar", document, replace, TestContext.Current.CancellationToken);
    }

    /// <summary>Everything a reader sees of the radar's history, without storage bookkeeping (ETags).</summary>
    internal static async Task<string> HistoryAsync(MeasuresHarness h)
    {
        var ct = TestContext.Current.CancellationToken;
        var measures = (await h.Store.ListMeasuresAsync("testradar", ct)).OrderBy(m => m.Measure.Id, StringComparer.Ordinal)
            .Select(m => m with { ETag = default });
        var histories = new Dictionary<string, IReadOnlyList<MeasureChange>>();
        foreach (var m in measures)
        {
            histories[m.Measure.Id] = await h.Store.GetHistoryAsync("testradar", m.Measure.Id, ct);
        }

        var editions = (await h.Editions.ListAsync("testradar", ct)).Select(e => new { e.Id, e.Published, e.ContentHash, e.Members, e.Kept, e.Counts });
        var latest = await h.Store.GetLatestChangesAsync("testradar", 1000, ct);
        return MeasureJson.Serialize(new { measures, histories, editions, latest });
    }

    private static IEnumerable<int[]> Permutations(int[] items) => items.Length <= 1
        ? [items]
        : items.SelectMany((item, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (int[])[item, .. rest]));

    [Fact]
    public async Task The_history_is_the_same_whatever_order_the_editions_arrive_in()
    {
        var orders = Permutations([0, 1, 2, 3]).ToList();
        Assert.Equal(24, orders.Count);
        string? expected = null;
        foreach (var order in orders)
        {
            await using var h = Harness(azurite);
            foreach (var index in order)
            {
                Assert.Equal(EditionImportStatus.Imported, (await BackfillAsync(h, index)).Status);
            }

            var history = await HistoryAsync(h);
            expected ??= history;
            Assert.True(expected == history, $"Order {string.Join(", ", order.Select(i => Four[i].Id))} gives another history:\n{history}\nthan\n{expected}");
        }

        // And it is the history one expects.
        await using var check = Harness(azurite);
        foreach (var index in new[] { 2, 0, 3, 1 })
        {
            await BackfillAsync(check, index);
        }

        var ct = TestContext.Current.CancellationToken;
        var wlan = (await check.Store.GetHistoryAsync("testradar", "wlan", ct)).Reverse().ToList();
        Assert.Equal(["testradar:wlan:2021", "testradar:wlan:2022", "testradar:wlan:2023", "testradar:wlan:2024"], wlan.Select(c => c.Id));
        Assert.Equal([ChangeKinds.Created, ChangeKinds.StatusChanged, ChangeKinds.StatusChanged, ChangeKinds.StatusChanged], wlan.Select(c => c.Kind));
        Assert.Equal(BerlinTime.EndOfDay(new DateOnly(2022, 7, 14)), wlan[1].At);
        var akte = (await check.Store.GetHistoryAsync("testradar", "akte", ct)).Reverse().Select(c => c.Kind);
        Assert.Equal([ChangeKinds.Created, ChangeKinds.Removed, ChangeKinds.Restored, ChangeKinds.StatusChanged], akte);
        var alt = await check.Store.GetMeasureAsync("testradar", "alt", ct);
        Assert.True(alt!.Removed);
        // The 2023 record of 'sensoren' could not be read: 2023 says nothing about it.
        var sensoren = (await check.Store.GetHistoryAsync("testradar", "sensoren", ct)).Reverse().ToList();
        Assert.Equal(["testradar:sensoren:2022", "testradar:sensoren:2024"], sensoren.Select(c => c.Id));
        var counts = (await check.Editions.GetAsync("testradar", "2024", ct))!.Counts;
        Assert.Equal(new EditionCounts(5, 1, 1, 3, 0, 0), counts);
    }

    [Fact]
    public async Task Importing_the_same_edition_twice_changes_nothing()
    {
        await using var h = Harness(azurite);
        await BackfillAsync(h, 0);
        await BackfillAsync(h, 2);
        var before = await h.SnapshotAsync();

        var again = await BackfillAsync(h, 2);

        Assert.Equal(EditionImportStatus.Unchanged, again.Status);
        Assert.Equal(before, await h.SnapshotAsync());
    }

    [Fact]
    public async Task The_same_edition_id_with_other_content_is_a_conflict_unless_replaced()
    {
        await using var h = Harness(azurite);
        var ct = TestContext.Current.CancellationToken;
        await BackfillAsync(h, 0);
        await BackfillAsync(h, 1);
        var before = await h.SnapshotAsync();
        var (id, published, measures) = Four[1];
        var changed = EditionService.ReadJson(Utf8(EditionDoc(id, published, [.. measures.Select(m => (string?)m["id"] == "wlan" ? m.With("status", "umgesetzt") : m)])));

        var conflict = await h.Backfill.ImportAsync("testradar", changed, replace: false, ct);
        var afterConflict = await h.SnapshotAsync();
        var replaced = await h.Backfill.ImportAsync("testradar", changed, replace: true, ct);

        Assert.Equal(EditionImportStatus.Conflict, conflict.Status);
        Assert.Contains("already stored", conflict.Detail, StringComparison.Ordinal);
        Assert.Equal(before, afterConflict);
        Assert.Equal(EditionImportStatus.Replaced, replaced.Status);
        var wlan = (await h.Store.GetHistoryAsync("testradar", "wlan", ct))[0];
        Assert.Equal(("testradar:wlan:2022", "idee", "umgesetzt"), (wlan.Id, wlan.From, wlan.To));
        Assert.Equal("umgesetzt", (await h.Store.GetMeasureAsync("testradar", "wlan", ct))!.Measure.Status);
    }

    [Fact]
    public async Task Deleting_an_edition_leaves_the_history_of_the_others_as_if_it_never_came()
    {
        await using var withAll = Harness(azurite);
        await using var without = Harness(azurite);
        var ct = TestContext.Current.CancellationToken;
        foreach (var index in new[] { 0, 1, 2, 3 })
        {
            await BackfillAsync(withAll, index);
        }

        foreach (var index in new[] { 0, 2, 3 })
        {
            await BackfillAsync(without, index);
        }

        var deleted = await withAll.Backfill.DeleteAsync("testradar", "2022", ct);
        var unknown = await withAll.Backfill.DeleteAsync("testradar", "2022", ct);

        Assert.Equal(EditionDeleteStatus.Deleted, deleted.Status);
        Assert.True(deleted.RemovedChanges > 0);
        Assert.Equal(EditionDeleteStatus.NotFound, unknown.Status);
        Assert.Equal(await HistoryAsync(without), await HistoryAsync(withAll));
        Assert.DoesNotContain(await withAll.Store.ListStatesAsync("testradar", null, ct), s => s.EditionId == "2022");
    }

    [Fact]
    public async Task An_older_edition_does_not_change_what_a_newer_edition_or_a_later_ingest_set()
    {
        await using var h = Harness(azurite);
        var ct = TestContext.Current.CancellationToken;
        await BackfillAsync(h, 3);
        // After the 2024 edition the source itself says more (dated by the ingest).
        h.Write("radar.json", EditionDoc("2024", "2024-07-11", [.. Four[3].Measures.Select(m => (string?)m["id"] == "portal" ? m.With("status", "umgesetzt") : m)]));
        var observed = Assert.Single((await h.RunAsync()).Sources);
        var current = (await h.Store.ListMeasuresAsync("testradar", ct)).ToDictionary(m => m.Measure.Id, m => MeasureJson.Canonical(m.Measure) + m.Removed);

        await BackfillAsync(h, 0);
        await BackfillAsync(h, 2);
        await BackfillAsync(h, 1);

        Assert.Equal((EditionOutcomes.Observed, 1), (observed.EditionOutcome, observed.StatusChanged));
        var after = (await h.Store.ListMeasuresAsync("testradar", ct)).Where(m => current.ContainsKey(m.Measure.Id))
            .ToDictionary(m => m.Measure.Id, m => MeasureJson.Canonical(m.Measure) + m.Removed);
        Assert.Equal(current, after);
        var portal = await h.Store.GetHistoryAsync("testradar", "portal", ct);
        Assert.Equal(("umgesetzt", h.Clock.GetUtcNow()), (portal[0].Status, portal[0].At));
        // The older editions did add the past: 'alt' was on the radar in 2021 and is off it now.
        Assert.True((await h.Store.GetMeasureAsync("testradar", "alt", ct))!.Removed);
    }

    [Fact]
    public async Task A_backfill_while_an_ingest_holds_the_lease_is_refused_naming_the_holder()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, "testradar", null)], systemClock: true);
        var ct = TestContext.Current.CancellationToken;
        var lease = h.Services.GetRequiredService<IngestLease>();
        var document = EditionService.ReadJson(Utf8(EditionDoc("2021", "2021-07-15", Four[0].Measures)));

        EditionImportResult refused;
        EditionDeleteResult refusedDelete;
        await using (var ingest = await lease.TryAcquireAsync(MeasureStore.LeaseKind, ct))
        {
            Assert.True(ingest.Acquired);
            refused = await h.Backfill.ImportAsync("testradar", document, replace: false, ct);
            refusedDelete = await h.Backfill.DeleteAsync("testradar", "2021", ct);
        }

        var stored = await h.Editions.ListAsync("testradar", ct);
        var after = await h.Backfill.ImportAsync("testradar", document, replace: false, ct);

        Assert.Equal(EditionImportStatus.LeaseHeld, refused.Status);
        Assert.NotNull(refused.Holder?.Owner);
        Assert.NotNull(refused.Holder!.Since);
        Assert.Contains(refused.Holder.Owner, refused.Detail, StringComparison.Ordinal);
        Assert.Equal(EditionDeleteStatus.UnknownRadar, refusedDelete.Status); // nothing stored for the radar yet
        Assert.Empty(stored);
        Assert.Equal(EditionImportStatus.Imported, after.Status);
    }

    public static TheoryData<string, string, EditionImportStatus> Refused => new()
    {
        { "another radar", EditionDoc("2021", "2021-07-15", [Measure("wlan")], radarId: "andere-stadt"), EditionImportStatus.RadarMismatch },
        { "published tomorrow", EditionDoc("2025", "2025-03-02", [Measure("wlan")]), EditionImportStatus.FutureDate },
        { "no edition", Doc(Measure("wlan")), EditionImportStatus.NoEdition },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_document_for_another_radar_dated_in_the_future_or_without_edition_stores_nothing(string what, string document, EditionImportStatus status)
    {
        Assert.NotNull(what);
        await using var h = Harness(azurite);
        await BackfillAsync(h, 0);
        var before = await h.SnapshotAsync();

        var result = await h.Backfill.ImportAsync("testradar", EditionService.ReadJson(Utf8(document)), replace: false, TestContext.Current.CancellationToken);

        Assert.Equal(status, result.Status);
        Assert.Contains("Nothing was stored", result.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await h.SnapshotAsync());
    }

    [Fact]
    public async Task Malformed_records_of_an_edition_are_skipped_and_reported_and_the_rest_goes_in()
    {
        await using var h = Harness(azurite);
        var ct = TestContext.Current.CancellationToken;

        var result = await BackfillAsync(h, 2);

        var skipped = Assert.Single(result.Report!.Skipped);
        Assert.Equal(("sensoren", 3), (skipped.Id, skipped.Index));
        Assert.Contains("kaputt", skipped.Reason, StringComparison.Ordinal);
        Assert.Equal((4, 3), (result.Report.Read, result.Report.Created));
        Assert.Equal(["sensoren"], (await h.Editions.GetAsync("testradar", "2023", ct))!.Kept);
    }

    [Fact]
    public async Task A_source_whose_content_is_an_edition_imports_it_dated_by_its_publication_and_its_list_of_past_editions_once()
    {
        await using var h = MeasuresHarness.Create(azurite, [], new Dictionary<string, string?>
        {
            ["Radar:Sources:0:Url"] = "file:radar.json",
            ["Radar:Sources:0:Kind"] = SourceKinds.MeasuresJson,
            ["Radar:Sources:0:Id"] = "stadt",
            ["Radar:Sources:0:Editions:0"] = "file:2021.json",
            ["Radar:Sources:0:Editions:1"] = "file:2022.json",
            ["Radar:Sources:0:Editions:2"] = "file:2023.json",
        });
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 3; i++)
        {
            h.Write($"{Four[i].Id}.json", EditionDoc(Four[i].Id, Four[i].Published, Four[i].Measures));
        }

        h.Write("radar.json", EditionDoc("2024", "2024-07-11", Four[3].Measures));
        var first = Assert.Single((await h.RunAsync()).Sources);
        var second = Assert.Single((await h.RunAsync(SourceRunMode.Now)).Sources);
        var forced = Assert.Single((await h.RunAsync(SourceRunMode.Full)).Sources);
        h.Write("2022.json", EditionDoc("2022", "2022-07-14", [Measure("wlan", "umgesetzt")]));
        var changedOld = Assert.Single((await h.RunAsync(SourceRunMode.Full)).Sources);

        Assert.Equal(("2024", EditionOutcomes.Imported), (first.Edition, first.EditionOutcome));
        Assert.Equal([EditionOutcomes.Imported, EditionOutcomes.Imported, EditionOutcomes.Imported], first.Editions.Select(e => e.Outcome));
        Assert.Equal((SourceOutcomes.NotModified, 0), (second.Outcome, second.Editions.Count));
        Assert.Equal(EditionOutcomes.Unchanged, forced.EditionOutcome);
        Assert.All(forced.Editions, e => Assert.Equal(EditionOutcomes.Unchanged, e.Outcome));
        Assert.Equal(EditionOutcomes.Conflict, changedOld.Editions.Single(e => e.Edition == "2022").Outcome);
        Assert.Equal(["2021", "2022", "2023", "2024"], (await h.Editions.ListAsync("testradar", ct)).Select(e => e.Id));
        var wlan = (await h.Store.GetHistoryAsync("testradar", "wlan", ct)).Reverse().Select(c => c.Id);
        Assert.Equal(["testradar:wlan:2021", "testradar:wlan:2022", "testradar:wlan:2023", "testradar:wlan:2024"], wlan);
        Assert.All(await h.Editions.ListAsync("testradar", ct), e => Assert.Equal("stadt", e.SourceId));
    }

    [Fact]
    public async Task A_CSV_source_is_the_edition_its_settings_name()
    {
        await using var h = MeasuresHarness.Create(azurite, [], new Dictionary<string, string?>
        {
            ["Radar:Sources:0:Url"] = "file:" + Path.Combine(SamplesFolder, "musterstadt.csv"),
            ["Radar:Sources:0:Kind"] = SourceKinds.MeasuresCsv,
            ["Radar:Sources:0:Radar"] = "musterstadt",
            ["Radar:Sources:0:Definition"] = "file:" + Path.Combine(SamplesFolder, "musterstadt.radar.json"),
            ["Radar:Sources:0:Edition"] = "2024",
            ["Radar:Sources:0:EditionTitle"] = "Digitalbericht 2024",
            ["Radar:Sources:0:EditionPublished"] = "2024-12-10",
        });
        var ct = TestContext.Current.CancellationToken;

        var report = Assert.Single((await h.RunAsync()).Sources);

        Assert.Equal(("2024", EditionOutcomes.Imported, 9), (report.Edition, report.EditionOutcome, report.Created));
        var edition = Assert.Single(await h.Editions.ListAsync("musterstadt", ct));
        Assert.Equal(("Digitalbericht 2024", new DateOnly(2024, 12, 10)), (edition.Title, edition.Published));
        var created = Assert.Single(await h.Store.GetHistoryAsync("musterstadt", "buergerkonto", ct));
        Assert.Equal(("musterstadt:buergerkonto:2024", BerlinTime.EndOfDay(new DateOnly(2024, 12, 10))), (created.Id, created.At));
    }
}
