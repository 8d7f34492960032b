using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Ingest;
using Radar.Core.Measures;
using Radar.Core.Measures.Ingest;
using Radar.Core.Measures.Timeline;
using Radar.Core.Sources;
using static Radar.Core.Tests.Measures.TestDocs;

namespace Radar.Core.Tests.Measures;

public class ConcurrencyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Two_ingests_racing_on_the_same_radar_write_one_history()
    {
        // Two app instances on one storage prefix and one file, past the ingest lease (as if one had
        // lost it mid-run): optimistic concurrency alone must keep the history right.
        var prefix = AzuriteFixture.NewPrefix();
        await using var first = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)], prefix: prefix);
        await using var second = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)],
            prefix: prefix, folder: Directory.CreateTempSubdirectory("radar-measures-").FullName);
        var measures = Enumerable.Range(1, 60).Select(i => Measure($"massnahme-{i}")).ToArray();
        first.Write("radar.json", Doc(measures));
        second.Write("radar.json", Doc(measures));

        var ct = TestContext.Current.CancellationToken;
        var reports = await Task.WhenAll(first.Ingest.IngestAsync(SourceRunMode.Full, ct), second.Ingest.IngestAsync(SourceRunMode.Full, ct));

        Assert.Equal(60, reports.Sum(r => r.Sources[0].Created));
        Assert.Equal(120, reports.Sum(r => r.Sources[0].Created + r.Sources[0].Unchanged));
        var changes = await first.Store.GetLatestChangesAsync("testradar", 1000, ct);
        Assert.Equal(60, changes.Count);
        Assert.All(changes, c => Assert.Equal(ChangeKinds.Created, c.Kind));
        Assert.Equal(60, changes.Select(c => c.MeasureId).Distinct().Count());
    }

    /// <summary>
    /// Why the race above once reported 27 created instead of 60, made to happen on purpose: the
    /// loser of the first batch re-reads, wins the second batch, and the winner of the first then
    /// conflicts and re-reads everything as already there. Its own first batch, committed before
    /// the conflict, must still count as created by it — not as unchanged.
    /// </summary>
    [Fact]
    public void Writes_committed_before_a_conflict_count_as_what_they_did_not_as_unchanged()
    {
        var content = JsonMeasureReader.Read(Utf8(Doc([.. Enumerable.Range(1, 60).Select(i => Measure($"massnahme-{i}"))])));
        var now = MeasuresHarness.Start;
        var firstAttempt = Observations.Plan("radar", content, [], now, firstImport: false, wholeRadar: true);
        // The first 33 measures went in; the next transaction conflicted.
        var committed = content.Measures.Take(33).ToDictionary(m => m.Id, m => firstAttempt.Kinds[m.Id], StringComparer.Ordinal);

        // The other writer's transactions went in meanwhile: the re-read finds everything stored.
        var stored = content.Measures.Select(m => new StoredMeasure
        {
            RadarId = "testradar",
            Measure = m,
            CreatedAt = now,
            ChangedAt = now,
            Version = 1,
        }).ToList();
        var final = Observations.Plan("radar", content, stored, now, firstImport: false, wholeRadar: true);
        var report = final.Credit(committed);

        Assert.Equal((0, 60), (final.Created, final.Unchanged)); // what the comparison alone would say
        Assert.Equal((33, 27), (report.Created, report.Unchanged));
    }

    [Fact]
    public async Task A_run_while_another_holds_the_measures_lease_is_refused_and_says_where()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)], systemClock: true);
        var ct = TestContext.Current.CancellationToken;
        h.Write("radar.json", Doc(Measure("wlan")));
        var lease = h.Services.GetRequiredService<IngestLease>();

        MeasureIngestReport refused;
        await using (var other = await lease.TryAcquireAsync(MeasureStore.LeaseKind, ct))
        {
            Assert.True(other.Acquired);
            refused = await h.RunAsync(SourceRunMode.Now);
        }

        var after = await h.RunAsync(SourceRunMode.Now);

        Assert.NotNull(refused.AlreadyRunning);
        Assert.Empty(refused.Sources);
        Assert.Null(after.AlreadyRunning);
        Assert.Equal(1, Assert.Single(after.Sources).Created);
    }

    [Fact]
    public async Task A_write_from_a_stale_read_is_refused_whole_state_measure_and_change_together()
    {
        await using var h = MeasuresHarness.Create(azurite, [("file:radar.json", SourceKinds.MeasuresJson, null, null)]);
        var ct = TestContext.Current.CancellationToken;
        h.Write("radar.json", Doc(Measure("wlan", "idee")));
        await h.RunAsync();
        var stale = (await h.Store.ListMeasuresAsync("testradar", ct)).Single();
        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Write("radar.json", Doc(Measure("wlan", "in-planung")));
        await h.RunAsync();
        var before = await h.SnapshotAsync();

        var at = h.Clock.GetUtcNow().AddMinutes(5);
        var late = stale with { Measure = stale.Measure with { Status = "umgesetzt" }, Version = 2 };
        var state = new TimelineState { MeasureId = "wlan", At = at, Origin = TimelineState.ObservationOrigin(at), Measure = late.Measure };
        var change = new MeasureChange
        {
            Id = "testradar:wlan:late",
            RadarId = "testradar",
            MeasureId = "wlan",
            Sequence = 3,
            Kind = ChangeKinds.StatusChanged,
            At = at,
            Title = "x",
            Area = "infrastruktur",
            Status = "umgesetzt",
        };
        IReadOnlyList<RowOp> group =
        [
            new(TableTransactionActionType.UpdateReplace, MeasureStore.ToEntity(late), stale.ETag),
            new(TableTransactionActionType.Add, MeasureStore.ToEntity("testradar", state)),
            new(TableTransactionActionType.Add, MeasureStore.ToEntity(change, MeasureStore.HistoryKey(change))),
        ];

        await Assert.ThrowsAsync<MeasureConcurrencyException>(() => h.Store.SubmitAsync("testradar", [group], ct));
        Assert.Equal(before, await h.SnapshotAsync());
    }
}
