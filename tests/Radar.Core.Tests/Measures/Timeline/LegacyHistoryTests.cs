using Azure.Data.Tables;
using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;
using Radar.Core.Sources;
using static Radar.Core.Tests.Measures.TestDocs;

namespace Radar.Core.Tests.Measures.Timeline;

/// <summary>
/// A deployment of the version before editions has history as a chain of changes numbered by
/// sequence, with ids already published in feeds. The next ingest migrates it into timeline
/// states; published ids stay, also after a backfill that does not change them.
/// </summary>
public class LegacyHistoryTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T1 = new(2024, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = new(2024, 9, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T3 = new(2024, 10, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Rows exactly as the previous version wrote them: <c>m|</c>, <c>c|</c> and
    /// <c>h|</c> with sequence ids, a <c>Radars</c> row without owner or schema, no states.</summary>
    internal static async Task WriteLegacyAsync(MeasuresHarness h, string radarId, IEnumerable<(string Source, Measure[] Versions, DateTimeOffset[] At, bool RemovedAtEnd)> measures)
    {
        var ct = TestContext.Current.CancellationToken;
        await h.Store.SaveRadarAsync(JsonMeasureReader.ReadDefinition(Utf8(Doc(radarId))), measures.First().Source, T1, ct);
        var groups = new List<IReadOnlyList<RowOp>>();
        foreach (var (source, versions, at, removedAtEnd) in measures)
        {
            var ops = new List<RowOp>();
            var changes = new List<MeasureChange>();
            for (var i = 0; i < at.Length; i++)
            {
                var removal = removedAtEnd && i == at.Length - 1;
                var before = i == 0 ? null : versions[i - 1];
                var measure = removal ? versions[i - 1] : versions[i];
                var kind = i == 0 ? ChangeKinds.Created : removal ? ChangeKinds.Removed
                    : before!.Status != measure.Status ? ChangeKinds.StatusChanged : ChangeKinds.Updated;
                changes.Add(new MeasureChange
                {
                    Id = MeasureChange.MakeId(radarId, measure.Id, i + 1),
                    RadarId = radarId,
                    MeasureId = measure.Id,
                    Sequence = i + 1,
                    Kind = kind,
                    At = at[i],
                    Title = measure.Title,
                    Area = measure.Area,
                    Status = measure.Status,
                    From = kind == ChangeKinds.StatusChanged ? before!.Status : null,
                    To = kind == ChangeKinds.StatusChanged ? measure.Status : null,
                    Fields = removal ? [] : MeasureDiff.Compare(before, measure),
                    SourceId = source,
                });
            }

            var last = changes[^1];
            ops.Add(new RowOp(TableTransactionActionType.Add, MeasureStore.ToEntity(new StoredMeasure
            {
                RadarId = radarId,
                Measure = removedAtEnd ? versions[^2] : versions[^1],
                Removed = removedAtEnd,
                CreatedAt = at[0],
                ChangedAt = last.At,
                RemovedAt = removedAtEnd ? last.At : null,
                StatusChangedAt = changes.LastOrDefault(c => c.From is not null)?.At,
                Version = changes.Count,
                SourceId = source,
            })));
            ops.AddRange(changes.SelectMany(c => new[]
            {
                new RowOp(TableTransactionActionType.Add, MeasureStore.ToEntity(c, MeasureStore.ChangeKey(c))),
                new RowOp(TableTransactionActionType.Add, MeasureStore.ToEntity(c, MeasureStore.HistoryKey(c))),
            }));
            groups.Add(ops);
        }

        await h.Store.SubmitAsync(radarId, groups, ct);
    }

    internal static Measure M(string id, string status, string area = "infrastruktur") =>
        JsonMeasureReader.Read(Utf8(Doc(Measure(id, status, area)))).Measures[0];

    [Fact]
    public async Task The_first_run_of_the_new_version_migrates_history_and_every_published_id_stays()
    {
        await using var h = MeasuresHarness.Create(azurite, [], new Dictionary<string, string?>
        {
            ["Radar:Sources:0:Id"] = "stadt",
            ["Radar:Sources:0:Url"] = "file:radar.json",
            ["Radar:Sources:0:Kind"] = SourceKinds.MeasuresJson,
        });
        var ct = TestContext.Current.CancellationToken;
        await WriteLegacyAsync(h, "testradar",
        [
            ("stadt", [M("wlan", "in-planung"), M("wlan", "in-umsetzung")], [T1, T2], false),
            ("stadt", [M("akte", "umgesetzt", "stadtverwaltung"), M("akte", "umgesetzt", "stadtverwaltung")], [T1, T3], true),
        ]);
        var published = await h.Store.GetLatestChangesAsync("testradar", 100, ct);
        h.Write("radar.json", Doc(Measure("wlan", "in-umsetzung")));

        var report = Assert.Single((await h.RunAsync()).Sources);
        var migrated = await h.Store.GetLatestChangesAsync("testradar", 100, ct);
        var again = await h.SnapshotAsync();
        Assert.Equal(SourceOutcomes.NotModified, Assert.Single((await h.RunAsync()).Sources).Outcome);

        Assert.Equal((SourceOutcomes.Ingested, 1, 0), (report.Outcome, report.Unchanged, report.Created + report.Updated + report.StatusChanged + report.Removed));
        Assert.Equal(["testradar:akte:2", "testradar:wlan:2", "testradar:akte:1", "testradar:wlan:1"], published.Select(c => c.Id));
        Assert.Equal(MeasureJson.Serialize(published), MeasureJson.Serialize(migrated));
        Assert.Equal(4, (await h.Store.ListStatesAsync("testradar", null, ct)).Count);
        Assert.Equal(MeasureStore.CurrentSchema, (await h.Store.GetRadarRecordAsync("testradar", ct))!.Schema);
        Assert.Equal(again, await h.SnapshotAsync());

        // A backfilled edition before them: every published id stays with what it was about; the
        // first change of 'wlan' now says what changed since the edition (same id, new content),
        // and the first of 'akte' is no change any more (the edition said the same): it is gone.
        var backfill = await h.Backfill.ImportAsync("testradar",
            EditionService.ReadJson(Utf8(EditionDoc("2023", "2023-07-13", [Measure("wlan", "idee"), Measure("akte", "umgesetzt", "stadtverwaltung")]))), false, ct);
        var wlan = (await h.Store.GetHistoryAsync("testradar", "wlan", ct)).Reverse().ToList();
        var akte = (await h.Store.GetHistoryAsync("testradar", "akte", ct)).Reverse().ToList();

        Assert.Equal(EditionImportStatus.Imported, backfill.Status);
        Assert.Equal(["testradar:wlan:2023", "testradar:wlan:1", "testradar:wlan:2"], wlan.Select(c => c.Id));
        Assert.Equal([ChangeKinds.Created, ChangeKinds.StatusChanged, ChangeKinds.StatusChanged], wlan.Select(c => c.Kind));
        Assert.Equal(("idee", "in-planung"), (wlan[1].From, wlan[1].To));
        Assert.Equal(["testradar:akte:2023", "testradar:akte:2"], akte.Select(c => c.Id));
    }
}
