using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Radar.Core.Hosting;
using Radar.Core.Measures;
using Radar.Core.Measures.Ingest;
using Radar.Core.Measures.Timeline;
using Radar.Core.Search.Serving;
using Radar.Core.Sources;

namespace Radar.Core.Tests.Measures;

/// <summary>
/// Radar.Core's measure services as the app registers them (the search index's part without
/// the index feed), on the test run's Azurite with a
/// storage prefix of their own, a fake clock, and a temp folder for <c>file:</c> sources.
/// </summary>
internal sealed class MeasuresHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private MeasuresHarness(ServiceProvider services, FakeTimeProvider clock, string folder, string prefix)
    {
        Services = services;
        Clock = clock;
        Folder = folder;
        Prefix = prefix;
    }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Clock { get; }

    public string Folder { get; }

    public string Prefix { get; }

    public MeasureIngestService Ingest => Services.GetRequiredService<MeasureIngestService>();

    public MeasureStore Store => Services.GetRequiredService<MeasureStore>();

    public SourceStore Sources => Services.GetRequiredService<SourceStore>();

    public RadarQueries Queries => Services.GetRequiredService<RadarQueries>();

    public EditionStore Editions => Services.GetRequiredService<EditionStore>();

    public EditionService Backfill => Services.GetRequiredService<EditionService>();

    public RadarTimeQueries Time => Services.GetRequiredService<RadarTimeQueries>();

    /// <param name="sources">Sources in settings order: (url, kind, radar, definition).</param>
    public static MeasuresHarness Create(
        AzuriteFixture azurite,
        IEnumerable<(string Url, string Kind, string? Radar, string? Definition)>? sources = null,
        IDictionary<string, string?>? settings = null,
        string? prefix = null,
        string? folder = null,
        FakeTimeProvider? clock = null,
        bool systemClock = false)
    {
        prefix ??= AzuriteFixture.NewPrefix();
        folder ??= Directory.CreateTempSubdirectory("radar-measures-").FullName;
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Radar:StoragePrefix"] = prefix,
            ["Radar:ContentRoot"] = folder,
            ["Radar:PublicUrl"] = "https://radar.example.test",
            // A fake clock drives back-off; retries inside one fetch would wait on it, so none here.
            ["Radar:Fetch:Retries"] = "0",
            ["Radar:Fetch:Timeout"] = "00:00:03",
            ["Radar:Fetch:MaxBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var index = 0;
        foreach (var (url, kind, radar, definition) in sources ?? [])
        {
            all[$"Radar:Sources:{index}:Url"] = url;
            all[$"Radar:Sources:{index}:Kind"] = kind;
            all[$"Radar:Sources:{index}:Radar"] = radar;
            all[$"Radar:Sources:{index}:Definition"] = definition;
            index++;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        clock ??= new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddLogging();
        // Retries within a fetch wait on the registered clock (the resilience pipeline uses it).
        services.AddSingleton(systemClock ? TimeProvider.System : clock);
        services.AddRadarCore(configuration);
        services.AddMeasures(configuration);
        // As every host registers it: the search index answers a measure's news (empty here, where
        // no replica is started). Feeding the index after each run is left out: the tests here
        // are about measures; the index fed by ingest is tested under the runner.
        services.AddSearch(configuration);
        services.RemoveAll<IMeasureChangeListener>();
        // No replica runs here: the queries read the tables (under the runner they read the snapshot).
        services.Replace(ServiceDescriptor.Singleton<IRadarReads, TableRadarReads>());
        return new MeasuresHarness(services.BuildServiceProvider(), clock, folder, prefix);
    }

    /// <summary>Writes a file into the harness folder; the URL to name it by is <c>file:{name}</c>.</summary>
    public string Write(string name, string text) => Write(name, TestDocs.Utf8(text));

    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Folder, name);
        var before = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
        File.WriteAllBytes(path, bytes);
        // Same length within the same clock tick must still look changed to the file ETag.
        if (File.GetLastWriteTimeUtc(path) <= before)
        {
            File.SetLastWriteTimeUtc(path, before.AddSeconds(1));
        }

        return "file:" + name;
    }

    public Task<MeasureIngestReport> RunAsync(SourceRunMode mode = SourceRunMode.Scheduled) =>
        Ingest.RunAsync(mode, TestContext.Current.CancellationToken);

    public async Task<IReadOnlyList<MeasureChange>> HistoryAsync(string measureId, string radar = "testradar") =>
        await Store.GetHistoryAsync(radar, measureId, TestContext.Current.CancellationToken);

    /// <summary>Everything stored for a radar, as text: to show that a failed run changed nothing.</summary>
    public async Task<string> SnapshotAsync(string radar = "testradar")
    {
        var ct = TestContext.Current.CancellationToken;
        var measures = await Store.ListMeasuresAsync(radar, ct);
        var changes = await Store.GetLatestChangesAsync(radar, 10_000, ct);
        var history = await Store.ListHistoryAsync(radar, ct);
        var states = await Store.ListStatesAsync(radar, null, ct);
        var editions = await Editions.ListAsync(radar, ct);
        return MeasureJson.Serialize(new
        {
            measures = measures.Select(m => new { m.Measure, m.Removed, m.Version, m.ChangedAt, etag = m.ETag.ToString() }),
            changes,
            history,
            states,
            editions = editions.Select(e => new { e.Id, e.ContentHash, e.Members, e.Counts }),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
