using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;
using Radar.Core.Sources;
using static Radar.Core.Tests.Measures.TestDocs;

namespace Radar.Core.Tests.Measures.Timeline;

/// <summary>The radar as of a date or an edition, the difference between two moments, one
/// measure then, and every way to ask wrongly — against the four editions of <see cref="EditionTests"/>.</summary>
public class TimeQueryTests(AzuriteFixture azurite)
{
    private static async Task<MeasuresHarness> FourEditionsAsync(AzuriteFixture azurite)
    {
        var h = EditionTests.Harness(azurite);
        foreach (var index in new[] { 3, 1, 0, 2 })
        {
            await EditionTests.BackfillAsync(h, index);
        }

        return h;
    }

    [Fact]
    public async Task The_radar_as_of_an_edition_has_that_editions_measures_and_flags_what_is_new_or_moved_since_the_one_before()
    {
        await using var h = await FourEditionsAsync(azurite);
        var ct = TestContext.Current.CancellationToken;

        var result = await h.Time.GetRadarAsOfAsync("testradar", null, "2022", ct);

        var view = result.Value!;
        Assert.Equal(("2022", "2021"), (view.Edition!.Id, view.Baseline!.Id));
        var measures = view.Measures.ToDictionary(m => m.Id);
        Assert.Equal(["portal", "sensoren", "wlan"], measures.Keys.Order());
        Assert.Equal(("in-planung", 30, false, true, "idee"), (measures["wlan"].Status, measures["wlan"].Progress, measures["wlan"].New, measures["wlan"].Moved, measures["wlan"].MovedFrom));
        Assert.Equal((true, false), (measures["sensoren"].New, measures["sensoren"].Moved));
        Assert.Equal((false, true), (measures["portal"].New, measures["portal"].Moved));
        // KPI: the newest value dated on or before the edition's day.
        var kpi = Assert.Single(measures["wlan"].Kpis);
        Assert.Equal((800d, new DateOnly(2022, 6, 30)), (kpi.Value, kpi.AsOf));
        Assert.Equal(3, view.Totals.Measures);
        Assert.Equal((1, 2), (view.Totals.New, view.Totals.Moved));
        Assert.Equal(1, view.Counts["infrastruktur"]["idee"]);
        Assert.Equal(["2022", "2021"], view.Editions.Select(e => e.Id));
    }

    [Fact]
    public async Task The_radar_as_of_a_date_between_editions_is_the_edition_before_it_and_KPIs_are_as_of_that_day()
    {
        await using var h = await FourEditionsAsync(azurite);
        var ct = TestContext.Current.CancellationToken;

        var dayBefore = (await h.Time.GetRadarAsOfAsync("testradar", "2023-07-12", null, ct)).Value!;
        var publicationDay = (await h.Time.GetRadarAsOfAsync("testradar", "2023-07-13", null, ct)).Value!;

        Assert.Equal("2022", dayBefore.Edition!.Id);
        Assert.Equal("2023", publicationDay.Edition!.Id);
        Assert.Equal("in-planung", dayBefore.Measures.Single(m => m.Id == "wlan").Status);
        Assert.Equal("in-umsetzung", publicationDay.Measures.Single(m => m.Id == "wlan").Status);
        // 2023 could not read 'sensoren': it stays as 2022 had it.
        Assert.Equal("idee", publicationDay.Measures.Single(m => m.Id == "sensoren").Status);
        Assert.Equal(1050d, Assert.Single(publicationDay.Measures.Single(m => m.Id == "wlan").Kpis).Value);
        Assert.Equal(800d, Assert.Single(dayBefore.Measures.Single(m => m.Id == "wlan").Kpis).Value);
    }

    [Fact]
    public async Task The_current_radar_flags_new_and_moved_against_the_edition_before_the_newest()
    {
        await using var h = await FourEditionsAsync(azurite);
        var ct = TestContext.Current.CancellationToken;

        var now = (await h.Queries.GetRadarAsync("testradar", ct))!;
        var asOf = (await h.Time.GetRadarAsOfAsync("testradar", null, null, ct)).Value!;

        var flags = now.Measures.ToDictionary(m => m.Id, m => (m.New, m.Moved));
        Assert.Equal((true, false), flags["neu"]);
        Assert.Equal((false, true), flags["wlan"]);
        Assert.Equal((false, true), flags["akte"]);
        Assert.Equal((false, false), flags["portal"]);
        // 2023 could not read 'sensoren': as of 2023 it was still what 2022 said (idee).
        Assert.Equal((false, true), flags["sensoren"]);
        Assert.Equal("2023", now.Window.Edition);
        Assert.Equal(["2024", "2023", "2022", "2021"], now.Editions.Select(e => e.Id));
        // The same as the time queries say for "now".
        Assert.Equal(flags, asOf.Measures.ToDictionary(m => m.Id, m => (m.New, m.Moved)));
    }

    [Fact]
    public async Task The_difference_between_two_editions_lists_additions_removals_restorations_moves_and_deltas()
    {
        await using var h = await FourEditionsAsync(azurite);
        var ct = TestContext.Current.CancellationToken;

        var diff = (await h.Time.GetDiffAsync("testradar", "2021", "2023", ct)).Value!;
        var sameDay = (await h.Time.GetDiffAsync("testradar", "2022", "2022", ct)).Value!;
        var byDates = (await h.Time.GetDiffAsync("testradar", "2022-12-31", "2024-12-31", ct)).Value!;

        Assert.Equal(["sensoren"], diff.Added.Select(m => m.Id));
        Assert.Equal(["alt"], diff.Removed.Select(m => m.Id));
        Assert.Empty(diff.Restored); // 'akte' was off in 2022 only: on in 2021 and in 2023
        Assert.Equal([("portal", "in-planung", "in-umsetzung"), ("wlan", "idee", "in-umsetzung")], diff.StatusMoved.Select(m => (m.Id, m.From, m.To)));
        Assert.Equal([("akte", 40, 70, 30), ("portal", 40, 55, 15), ("wlan", 10, 60, 50)], diff.Progress.Select(p => (p.Id, p.From ?? 0, p.To ?? 0, p.Delta)));
        var kpi = Assert.Single(diff.Kpis);
        Assert.Equal(("wlan", 500d, 1050d, 550d), (kpi.MeasureId, kpi.From!.Value, kpi.To!.Value, kpi.Delta!.Value));
        Assert.Equal((4, 4, 1, 1, 0, 2), (diff.Totals.MeasuresFrom, diff.Totals.MeasuresTo, diff.Totals.Added, diff.Totals.Removed, diff.Totals.Restored, diff.Totals.StatusMoved));
        Assert.Equal((0, 0, 0, 0), (sameDay.Added.Count + sameDay.Removed.Count, sameDay.StatusMoved.Count, sameDay.Progress.Count, sameDay.Kpis.Count));
        Assert.Equal(["akte"], byDates.Restored.Select(m => m.Id));
        Assert.Equal(["neu"], byDates.Added.Select(m => m.Id));
    }

    [Fact]
    public async Task One_measure_as_of_a_date_with_its_status_in_every_edition_until_then()
    {
        await using var h = await FourEditionsAsync(azurite);
        var ct = TestContext.Current.CancellationToken;

        var then = (await h.Time.GetMeasureAsOfAsync("testradar", "akte", "2022-12-31", ct)).Value!;
        var now = (await h.Time.GetMeasureAsOfAsync("testradar", "akte", null, ct)).Value!;
        var notYet = await h.Time.GetMeasureAsOfAsync("testradar", "neu", "2023-12-31", ct);

        Assert.True(then.Removed);
        Assert.Equal([("2021", true, "in-umsetzung"), ("2022", false, null)], then.Editions.Select(e => (e.Edition, e.OnRadar, e.Status)));
        Assert.Equal([ChangeKinds.Removed, ChangeKinds.Created], then.Changes.Select(c => c.Kind));
        Assert.False(now.Removed);
        Assert.Equal(("umgesetzt", 4), (now.Measure.Status, now.Editions.Count));
        Assert.Equal((404, "asOf"), (notYet.Problem!.Status, notYet.Problem.Parameter));
        Assert.Contains("2024-07-11", notYet.Problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_wrongly_is_a_400_naming_the_parameter_and_asking_for_what_does_not_exist_a_404()
    {
        await using var h = await FourEditionsAsync(azurite);
        var ct = TestContext.Current.CancellationToken;

        var problems = new (string What, TimeProblem? Problem)[]
        {
            ("not a date", (await h.Time.GetRadarAsOfAsync("testradar", "15.07.2022", null, ct)).Problem),
            ("not a real date", (await h.Time.GetRadarAsOfAsync("testradar", "2022-02-30", null, ct)).Problem),
            ("future", (await h.Time.GetRadarAsOfAsync("testradar", "2025-03-02", null, ct)).Problem),
            ("before the first edition", (await h.Time.GetRadarAsOfAsync("testradar", "2021-07-14", null, ct)).Problem),
            ("unknown edition", (await h.Time.GetRadarAsOfAsync("testradar", null, "2019", ct)).Problem),
            ("both", (await h.Time.GetRadarAsOfAsync("testradar", "2022-01-01", "2022", ct)).Problem),
            ("unknown radar", (await h.Time.GetRadarAsOfAsync("nirgendwo", null, null, ct)).Problem),
            ("from after to", (await h.Time.GetDiffAsync("testradar", "2023", "2022-01-01", ct)).Problem),
            ("bad to", (await h.Time.GetDiffAsync("testradar", "2021", "gestern!", ct)).Problem),
            ("no from", (await h.Time.GetDiffAsync("testradar", null, "2022", ct)).Problem),
            ("unknown measure", (await h.Time.GetMeasureAsOfAsync("testradar", "gibt-es-nicht", null, ct)).Problem),
        };

        Assert.Equal(
            [(400, "asOf"), (400, "asOf"), (400, "asOf"), (404, "asOf"), (404, "edition"), (400, "edition"), (404, "radar"), (400, "from"), (400, "to"), (400, "from"), (404, null)],
            problems.Select(p => (p.Problem!.Status, p.Problem.Parameter)));
        Assert.Contains("2021-07-15", problems[3].Problem!.Detail, StringComparison.Ordinal);
        Assert.Contains("2024, 2023, 2022, 2021", problems[4].Problem!.Detail, StringComparison.Ordinal);
        Assert.Contains("today is 2025-03-01", problems[2].Problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_of_an_edition_counts_by_area_and_status_against_the_one_before_and_names_the_years_successes()
    {
        await using var h = await FourEditionsAsync(azurite);
        var ct = TestContext.Current.CancellationToken;

        var report = (await h.Time.GetEditionReportAsync("testradar", "2023", ct)).Value!;

        Assert.Equal(("2023", "2022"), (report.Edition.Id, report.Previous!.Id));
        var infrastructure = report.Areas.Single(a => a.Area.Id == "infrastruktur");
        Assert.Equal(1, infrastructure.Statuses["in-umsetzung"]);
        Assert.Equal(1, infrastructure.PreviousStatuses!["in-planung"]);
        var wlan = infrastructure.Measures.Single(m => m.Measure.Id == "wlan");
        Assert.Equal("testradar:wlan:2023", Assert.Single(wlan.Changes).Id);
        Assert.Equal(["akte"], report.SincePrevious!.Restored.Select(m => m.Id));
        Assert.Equal(new EditionCounts(3, 0, 1, 1, 0, 1), report.Edition.Counts);
    }

    [Fact]
    public async Task Editions_and_the_first_import_are_listed_newest_first_as_one_event_each()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)]);
        var ct = TestContext.Current.CancellationToken;
        h.Write("radar.json", Doc(Measure("wlan"), Measure("akte", "umgesetzt", "stadtverwaltung")));
        await h.RunAsync();
        var onlyFirst = await h.Time.ListEditionSummariesAsync("testradar", 10, ct);
        await EditionTests.BackfillAsync(h, 3);

        var events = await h.Time.ListEditionSummariesAsync("testradar", 10, ct);
        var editions = (await h.Time.ListEditionsAsync("testradar", ct)).Value!;

        var first = Assert.Single(onlyFirst);
        Assert.Equal(("testradar:20250301T100000Z", EditionSummaryKinds.FirstImport, 2, 2), (first.Id, first.Kind, first.Counts.Measures, first.Counts.Created));
        // The 2024 edition (older than the first import) now explains the creation of both; the
        // first import keeps what only it brought: the differences to that edition.
        Assert.Equal([("testradar:20250301T100000Z", EditionSummaryKinds.FirstImport), ("testradar:2024", EditionSummaryKinds.Edition)],
            events.Select(e => (e.Id, e.Kind)));
        Assert.Equal(new EditionCounts(5, 5, 0, 0, 0, 0), events[1].Counts);
        Assert.Equal(new EditionCounts(2, 0, 1, 1, 0, 0), events[0].Counts);
        Assert.Equal("2024", Assert.Single(editions.Editions).Id);
    }
}
