using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.News;
using Radar.Core.Search.Replication;
using Radar.Functions;
using Radar.Local;

namespace Radar.Testing;

/// <summary>
/// Radar running under the local runner in this process, on a free loopback port, with its own
/// storage prefix on the test run's Azurite. Requests go over real HTTP to real Kestrel.
/// </summary>
public sealed class RadarApp : IAsyncDisposable
{
    public const string FunctionKey = "test-function-key";
    public const string MasterKey = "test-master-key";

    private readonly WebApplication _app;

    private RadarApp(WebApplication app, Uri baseAddress, string storagePrefix)
    {
        _app = app;
        BaseAddress = baseAddress;
        StoragePrefix = storagePrefix;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public string StoragePrefix { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<RadarApp> StartAsync(
        AzuriteFixture azurite,
        IDictionary<string, string?>? settings = null,
        IEnumerable<Assembly>? extraFunctionAssemblies = null,
        Action<IServiceCollection>? configureServices = null,
        string? settingsFile = null,
        string? storagePrefix = null,
        bool waitForSnapshot = true)
    {
        var port = FreePort();
        var prefix = storagePrefix ?? AzuriteFixture.NewPrefix();
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Radar:StoragePrefix"] = prefix,
            ["LocalRunner:Urls"] = $"http://127.0.0.1:{port}",
            ["LocalRunner:FunctionKey"] = FunctionKey,
            ["LocalRunner:MasterKey"] = MasterKey,
            ["LocalRunner:StartAzurite"] = "false",
            ["LocalRunner:RunTimersOnStartup"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // Timers a test does not fire itself must not fire in the middle of it.
            ["IngestMeasuresSchedule"] = "0 0 0 1 1 *",
            ["IngestNewsSchedule"] = "0 0 0 1 1 *",
            // The hub's queue carries the prefix too, so apps on one Azurite do not take each other's work.
            ["WebSubQueue"] = prefix + "-websub",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var assemblies = new List<Assembly> { typeof(RadarFunctionsServices).Assembly };
        assemblies.AddRange(extraFunctionAssemblies ?? []);
        var app = LocalRunner.Build(new LocalRunnerOptions
        {
            // A settings file only when a test asks for one: the developer's own must not leak in.
            SettingsFile = settingsFile ?? EmptySettingsFile.Value,
            Settings = all,
            FunctionAssemblies = assemblies,
            ConfigureServices = configureServices,
        });
        await app.StartAsync();
        var radar = new RadarApp(app, new Uri($"http://127.0.0.1:{port}/"), prefix);
        // Every public route reads the snapshot this instance loads; until the first one is
        // loaded they answer 503. Tests that are about that state (storage out of reach, another
        // writer holding the index) say so.
        if (waitForSnapshot && !await app.Services.GetRequiredService<IndexReplica>().WaitUntilLoadedAsync(TimeSpan.FromMinutes(2), CancellationToken.None))
        {
            await radar.DisposeAsync();
            throw new InvalidOperationException("The runner loaded no index snapshot within 2 minutes.");
        }

        return radar;
    }

    /// <summary>
    /// Tells the index every news item in the store, as the news ingest does after a run: news a
    /// test wrote straight to the store (<c>CrossSourceDedupe</c>, <c>NewsFeedImporter</c>) reach
    /// the published snapshot, which every public route reads. Returns once this instance serves
    /// the new generation.
    /// </summary>
    public async Task PublishStoredNewsAsync(CancellationToken cancellationToken)
    {
        var stored = new List<NewsItem>();
        await foreach (var item in Services.GetRequiredService<NewsStore>().ListAllAsync(cancellationToken))
        {
            stored.Add(item);
        }

        foreach (var listener in Services.GetServices<INewsChangeListener>())
        {
            await listener.NewsChangedAsync(stored, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static readonly Lazy<string> EmptySettingsFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"radar-empty-settings-{Environment.ProcessId}.json");
        File.WriteAllText(path, """{ "IsEncrypted": false, "Values": {} }""");
        return path;
    });
}
