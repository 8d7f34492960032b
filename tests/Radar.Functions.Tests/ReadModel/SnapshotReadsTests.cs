using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Measures;
using Radar.Core.Search.Serving;

namespace Radar.Functions.Tests.ReadModel;

/// <summary>The snapshot answers every public read exactly as the tables do, once it holds what
/// was written: the sample radars with their past editions, then an edit.</summary>
public sealed class SnapshotReadsTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_radar_read_from_the_snapshot_equals_the_same_read_from_the_tables()
    {
        await using var radars = await SampleRadars.StartAsync(azurite, Ct, SampleEditions.Settings());
        await radars.EditAndIngestAsync(measure => measure("oeffentliches-wlan")["status"] = "umgesetzt", Ct);
        var services = radars.App.Services;
        var snapshot = services.GetRequiredService<IRadarReads>();
        var tables = new TableRadarReads(services.GetRequiredService<MeasureStore>(), services.GetRequiredService<EditionStore>(), services.GetRequiredService<DefaultRadar>());

        Assert.IsType<SnapshotReads>(snapshot);
        await SameAsync(tables, snapshot, r => r.DefaultRadarIdAsync(Ct));
        await SameAsync(tables, snapshot, r => r.ListRadarRecordsAsync(Ct));
        var radarIds = (await tables.ListRadarRecordsAsync(Ct)).Select(r => r.Id).ToList();
        Assert.NotEmpty(radarIds);
        foreach (var radar in radarIds)
        {
            await SameAsync(tables, snapshot, r => r.GetRadarRecordAsync(radar, Ct));
            await SameAsync(tables, snapshot, r => r.ListMeasuresAsync(radar, Ct));
            await SameAsync(tables, snapshot, r => r.ListHistoryAsync(radar, Ct));
            await SameAsync(tables, snapshot, r => r.GetLatestChangesAsync(radar, 10_000, Ct));
            await SameAsync(tables, snapshot, r => r.GetLatestChangesAsync(radar, 7, Ct));
            await SameAsync(tables, snapshot, r => r.ListStatesAsync(radar, null, Ct));
            await SameAsync(tables, snapshot, r => r.ListEditionsAsync(radar, Ct));
            foreach (var edition in await tables.ListEditionsAsync(radar, Ct))
            {
                await SameAsync(tables, snapshot, r => r.GetEditionAsync(radar, edition.Id, Ct));
            }

            foreach (var measure in await tables.ListMeasuresAsync(radar, Ct))
            {
                var id = measure.Measure.Id;
                await SameAsync(tables, snapshot, r => r.GetMeasureAsync(radar, id, Ct));
                await SameAsync(tables, snapshot, r => r.GetHistoryAsync(radar, id, Ct));
                await SameAsync(tables, snapshot, r => r.ListStatesAsync(radar, id, Ct));
            }
        }

        // What is not in the snapshot is unknown, as in the tables.
        Assert.Null(await snapshot.GetMeasureAsync("muenchen", "gibt-es-nicht", Ct));
        Assert.Null(await snapshot.GetRadarRecordAsync("gibt-es-nicht", Ct));
        Assert.Contains("umgesetzt", MeasureJson.Serialize(await snapshot.GetMeasureAsync("muenchen", "oeffentliches-wlan", Ct)), StringComparison.Ordinal);
    }

    private static async Task SameAsync<T>(IRadarReads tables, IRadarReads snapshot, Func<IRadarReads, Task<T>> read)
    {
        var expected = MeasureJson.Serialize(await read(tables));
        var actual = MeasureJson.Serialize(await read(snapshot));
        Assert.Equal(expected, actual);
    }
}
