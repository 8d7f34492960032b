using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;

namespace Radar.Core.Tests.Measures.Timeline;

/// <summary>Deriving changes from states, without storage: kinds, dates, ids, order independence.</summary>
public class TimelineDerivationTests
{
    private static readonly DateOnly Day2021 = new(2021, 7, 15);
    private static readonly DateOnly Day2022 = new(2022, 7, 14);

    private static Measure Wlan(string status = "in-umsetzung", int progress = 40, DateOnly? start = null) => new()
    {
        Id = "wlan",
        Title = "Öffentliches WLAN",
        Area = "infrastruktur",
        Status = status,
        Progress = progress,
        Start = start,
    };

    private static TimelineState Edition(string id, DateOnly published, Measure? measure) => new()
    {
        MeasureId = "wlan",
        At = BerlinTime.EndOfDay(published),
        Origin = TimelineState.EditionOrigin(id),
        Measure = measure,
        SourceId = "owner",
    };

    private static TimelineState Seen(DateTimeOffset at, Measure? measure, bool firstImport = false, DateTimeOffset? hint = null) => new()
    {
        MeasureId = "wlan",
        At = at,
        Origin = TimelineState.ObservationOrigin(at),
        Measure = measure,
        SourceId = "owner",
        FirstImport = firstImport,
        CreatedHint = hint,
    };

    private static IReadOnlyList<MeasureChange> Derive(params TimelineState[] states)
    {
        var ordered = states.ToList();
        ordered.Sort(TimelineState.Compare);
        return MeasureTimeline.Derive("muenchen", "wlan", ordered).Changes;
    }

    [Fact]
    public void Consecutive_states_give_created_status_changed_updated_removed_and_restored_with_ids_from_what_they_are()
    {
        var seen = new DateTimeOffset(2023, 3, 1, 9, 30, 15, TimeSpan.Zero);
        var changes = Derive(
            Edition("2021", Day2021, Wlan("in-planung", 10)),
            Edition("2022", Day2022, Wlan("in-umsetzung", 40)),
            Seen(seen, Wlan("in-umsetzung", 60)),
            Seen(seen.AddDays(1), null),
            Seen(seen.AddDays(2), Wlan("umgesetzt", 100)),
            Seen(seen.AddDays(3), Wlan("umgesetzt", 100)));

        Assert.Equal(
            [ChangeKinds.Created, ChangeKinds.StatusChanged, ChangeKinds.Updated, ChangeKinds.Removed, ChangeKinds.Restored],
            changes.Select(c => c.Kind));
        Assert.Equal(
            ["muenchen:wlan:2021", "muenchen:wlan:2022", "muenchen:wlan:20230301T093015Z", "muenchen:wlan:20230302T093015Z", "muenchen:wlan:20230303T093015Z"],
            changes.Select(c => c.Id));
        Assert.Equal([1, 2, 3, 4, 5], changes.Select(c => c.Sequence));
        Assert.Equal(BerlinTime.EndOfDay(Day2021), changes[0].At);
        Assert.Equal(("in-planung", "in-umsetzung"), (changes[1].From, changes[1].To));
        Assert.Equal(["progress", "status"], changes[1].Fields.Select(f => f.Field).Order());
        Assert.Equal("2022", changes[1].EditionId);
        Assert.Null(changes[2].EditionId);
        Assert.Empty(changes[3].Fields);
        // Restored: fields against the state before the removal, the status move included.
        Assert.Equal(("in-umsetzung", "umgesetzt"), (changes[4].From, changes[4].To));
        Assert.Equal(["progress", "status"], changes[4].Fields.Select(f => f.Field).Order());
    }

    [Fact]
    public void The_current_state_says_when_it_was_created_moved_and_removed()
    {
        var seen = new DateTimeOffset(2023, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var states = new List<TimelineState> { Edition("2021", Day2021, Wlan("in-planung")), Edition("2022", Day2022, Wlan("umgesetzt")), Seen(seen, null) };
        var current = MeasureTimeline.Derive("muenchen", "wlan", states).Current!;

        Assert.True(current.Removed);
        Assert.Equal("umgesetzt", current.Measure.Status);
        Assert.Equal(BerlinTime.EndOfDay(Day2021), current.CreatedAt);
        Assert.Equal(BerlinTime.EndOfDay(Day2022), current.StatusChangedAt);
        Assert.Equal(seen, current.RemovedAt);
        Assert.Equal(seen, current.LastStateAt);
        Assert.Equal(3, current.Version);
    }

    [Fact]
    public void An_edition_without_the_measure_before_its_first_presence_is_no_change_and_never_present_is_nothing()
    {
        var changes = Derive(Edition("2021", Day2021, null), Edition("2022", Day2022, Wlan()));
        Assert.Equal(ChangeKinds.Created, Assert.Single(changes).Kind);
        Assert.Null(MeasureTimeline.Derive("muenchen", "wlan", [Edition("2021", Day2021, null)]).Current);
    }

    [Fact]
    public void A_first_import_dates_creation_by_the_start_only_when_it_is_the_measures_first_state()
    {
        var import = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var start = BerlinTime.EndOfDay(new DateOnly(2019, 5, 1));

        var alone = Derive(Seen(import, Wlan(), firstImport: true, hint: start));
        var afterAnEdition = Derive(Edition("2021", Day2021, null), Seen(import, Wlan(), firstImport: true, hint: start));

        Assert.Equal(start, Assert.Single(alone).At);
        Assert.True(alone[0].FirstImport);
        Assert.Equal("muenchen:wlan:20250301T100000Z", alone[0].Id);
        Assert.Equal(import, Assert.Single(afterAnEdition).At);
    }

    [Fact]
    public void A_migrated_change_keeps_its_published_id_whatever_comes_before_it()
    {
        var legacy = LegacyHistory.ToStates(
        [
            new MeasureChange
            {
                Id = "muenchen:wlan:1", RadarId = "muenchen", MeasureId = "wlan", Sequence = 1, Kind = ChangeKinds.Created,
                At = new DateTimeOffset(2025, 1, 10, 8, 0, 0, TimeSpan.Zero), Title = "Öffentliches WLAN", Area = "infrastruktur", Status = "in-planung",
                Fields = MeasureDiff.Compare(null, Wlan("in-planung")),
            },
            new MeasureChange
            {
                Id = "muenchen:wlan:2", RadarId = "muenchen", MeasureId = "wlan", Sequence = 2, Kind = ChangeKinds.StatusChanged,
                At = new DateTimeOffset(2025, 2, 10, 8, 0, 0, TimeSpan.Zero), Title = "Öffentliches WLAN", Area = "infrastruktur", Status = "in-umsetzung",
                From = "in-planung", To = "in-umsetzung", Fields = MeasureDiff.Compare(Wlan("in-planung"), Wlan("in-umsetzung")),
            },
        ]);

        var asPublished = Derive([.. legacy]);
        var withAnEditionWithoutIt = Derive([.. legacy, Edition("2021", Day2021, null)]);
        var withAnEditionBefore = Derive([.. legacy, Edition("2021", Day2021, Wlan("idee"))]);

        Assert.Equal(["muenchen:wlan:1", "muenchen:wlan:2"], asPublished.Select(c => c.Id));
        Assert.Equal([ChangeKinds.Created, ChangeKinds.StatusChanged], asPublished.Select(c => c.Kind));
        Assert.Equal(["muenchen:wlan:1", "muenchen:wlan:2"], withAnEditionWithoutIt.Select(c => c.Id));
        // An edition before them that says something else: the first published change now says
        // what changed since that edition (same id, new content).
        Assert.Equal(["muenchen:wlan:2021", "muenchen:wlan:1", "muenchen:wlan:2"], withAnEditionBefore.Select(c => c.Id));
        Assert.Equal((ChangeKinds.StatusChanged, "idee", "in-planung"), (withAnEditionBefore[1].Kind, withAnEditionBefore[1].From, withAnEditionBefore[1].To));
    }

    [Fact]
    public void The_same_states_in_any_order_derive_the_same_changes()
    {
        var seen = new DateTimeOffset(2023, 3, 1, 9, 0, 0, TimeSpan.Zero);
        TimelineState[] states =
        [
            Edition("2021", Day2021, Wlan("in-planung", 10)),
            Edition("2022", Day2022, Wlan("in-umsetzung", 40)),
            Edition("2022b", Day2022, Wlan("in-umsetzung", 45)),
            Seen(seen, Wlan("in-umsetzung", 60)),
            Seen(seen.AddTicks(1), null),
        ];
        var expected = MeasureJson.Serialize(Derive(states));
        for (var seed = 0; seed < 20; seed++)
        {
            var shuffled = states.OrderBy(_ => Random.Shared.Next()).ToArray();
            Assert.Equal(expected, MeasureJson.Serialize(Derive(shuffled)));
        }
    }

    [Fact]
    public void Two_observations_within_one_second_get_distinct_ids()
    {
        var seen = new DateTimeOffset(2023, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var changes = Derive(Seen(seen, Wlan()), Seen(seen.AddTicks(1), Wlan("umgesetzt")));
        Assert.Equal(["muenchen:wlan:20230301T090000Z", "muenchen:wlan:20230301T090000Z~2"], changes.Select(c => c.Id));
    }

    [Fact]
    public void A_date_means_the_end_of_that_day_in_Berlin_summer_and_winter()
    {
        Assert.Equal(new DateTimeOffset(2024, 7, 18, 21, 59, 59, TimeSpan.Zero).AddTicks(TimeSpan.TicksPerSecond - 1), BerlinTime.EndOfDay(new DateOnly(2024, 7, 18)));
        Assert.Equal(new DateTimeOffset(2024, 1, 18, 22, 59, 59, TimeSpan.Zero).AddTicks(TimeSpan.TicksPerSecond - 1), BerlinTime.EndOfDay(new DateOnly(2024, 1, 18)));
        Assert.Equal(new DateOnly(2024, 7, 19), BerlinTime.DateOf(new DateTimeOffset(2024, 7, 18, 22, 30, 0, TimeSpan.Zero)));
        Assert.Null(EditionInfo.IdProblem("2024"));
        Assert.NotNull(EditionInfo.IdProblem("2024-07-18"));
        Assert.NotNull(EditionInfo.IdProblem("Bericht 2024"));
    }
}
