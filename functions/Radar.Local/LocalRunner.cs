using System.Text.Json;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Radar.Core;
using Radar.Core.Storage;
using Radar.Functions;
using Radar.Local.Azurite;
using Radar.Local.Functions;
using Radar.Local.Settings;

namespace Radar.Local;

/// <summary>
/// Runs Radar's function classes under Kestrel without Azure Functions Core Tools: HTTP functions on
/// their routes, timer functions on their schedules, settings from <c>local.settings.json</c>, the same
/// service registrations as the worker's <c>Program.cs</c>.
/// </summary>
public static class LocalRunner
{
    public const string Section = "LocalRunner";
    private const int DefaultPort = 7071;

    public static WebApplication Build(LocalRunnerOptions options)
    {
        var repoRoot = RepositoryLayout.FindRoot();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = options.Args,
            ContentRootPath = repoRoot ?? AppContext.BaseDirectory,
        });

        var settingsPath = options.SettingsFile ?? LocalSettingsFile.Locate(repoRoot);
        var settings = settingsPath is null ? null : LocalSettingsFile.Load(settingsPath);
        AddSettings(builder.Configuration, settings, repoRoot, options.Settings);

        var configuration = builder.Configuration;
        var runner = configuration.GetSection(Section);
        if (string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(runner["Urls"] ?? $"http://127.0.0.1:{settings?.LocalHttpPort ?? DefaultPort}");
        }

        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        // Function runs and Radar's own lines are what a developer watches; request plumbing is noise.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Azurite goes first among hosted services: storage must answer before a timer fires on startup.
        var workingRoot = repoRoot ?? Directory.GetCurrentDirectory();
        builder.Services.AddSingleton<IHostedService>(sp => new AzuriteLauncher(
            sp.GetRequiredService<StorageConnection>(),
            workingRoot,
            Path.GetFullPath(runner["AzuriteLocation"] ?? Path.Combine(".radar", "azurite"), workingRoot),
            runner.GetValue("StartAzurite", true),
            sp.GetRequiredService<ILogger<AzuriteLauncher>>()));
        builder.Services.AddRadarFunctions(configuration);
        builder.Services.AddMvcCore(); // executes IActionResult answers, as the worker's ASP.NET Core integration does
        var catalog = FunctionCatalog.Discover(options.FunctionAssemblies);
        // The API fallback answers 405 for every function the runner serves (tests add their own).
        builder.Services.AddSingleton(catalog.Routes);
        options.ConfigureServices?.Invoke(builder.Services);

        var timers = catalog.Timers.Select(t => (t, TimerSchedule.Parse(t.Schedule, configuration, t.Name))).ToList();
        if (runner.GetValue("Timers", true) && timers.Count > 0)
        {
            builder.Services.AddSingleton<IHostedService>(sp => new TimerFunctionScheduler(
                timers,
                runner.GetValue("RunTimersOnStartup", false),
                sp,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<TimerFunctionScheduler>>()));
        }

        var queues = catalog.Queues.Select(q => (q, QueueFunctionProcessor.ResolveQueueName(q.QueueName, configuration, q.Name))).ToList();
        if (runner.GetValue("Queues", true) && queues.Count > 0)
        {
            builder.Services.AddSingleton<IHostedService>(sp => new QueueFunctionProcessor(
                queues,
                ReadQueueSettings(),
                sp,
                sp.GetRequiredService<ILogger<QueueFunctionProcessor>>()));
        }

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Radar.Local");
        logger.LogInformation("Settings: {Path}", settings?.Path ?? "(no local.settings.json found; environment only)");
        var keys = new FunctionKeys(runner["FunctionKey"], runner["MasterKey"]);
        if (string.IsNullOrEmpty(keys.FunctionKey) && string.IsNullOrEmpty(keys.MasterKey))
        {
            logger.LogWarning("No LocalRunner__FunctionKey is set: routes that need a function key answer 401 to everyone");
        }

        HttpFunctionEndpoints.Map(app, catalog, ReadRoutePrefix(), keys);
        return app;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        await using var app = Build(new LocalRunnerOptions { Args = args });
        await app.RunAsync();
        return 0;
    }

    /// <summary>Local settings sit below the environment and the command line, as with
    /// <c>func start</c>, where a variable already set is not overridden by the file.</summary>
    private static void AddSettings(
        ConfigurationManager configuration, LocalSettingsFile? settings, string? repoRoot, IDictionary<string, string?> overrides)
    {
        var defaults = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            // Relative file: sources (the bundled samples) resolve against the checkout, so an edited
            // sample is read by the next ingest without a rebuild.
            [$"{RadarOptions.Section}:{nameof(RadarOptions.ContentRoot)}"] = repoRoot,
            // The hub's queue (Bicep sets it on Azure), so a local.settings.json without it still runs.
            [Radar.Core.WebSub.WebSubOptions.QueueSetting] = Radar.Core.WebSub.WebSubOptions.DefaultQueue,
        };
        foreach (var (key, value) in settings?.AsConfiguration() ?? [])
        {
            defaults[key] = value;
        }

        var sources = (IList<IConfigurationSource>)configuration.Sources;
        var environmentIndex = sources.ToList().FindIndex(s => s is EnvironmentVariablesConfigurationSource);
        sources.Insert(environmentIndex < 0 ? 0 : environmentIndex, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = defaults });
        configuration.AddInMemoryCollection(overrides.Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace("__", ":", StringComparison.Ordinal), kv.Value)));
    }

    /// <summary>The queue settings from the function app's <c>host.json</c>.</summary>
    private static QueueHostSettings ReadQueueSettings()
    {
        using var document = ReadHostJson();
        return document is not null && document.RootElement.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("queues", out var queues)
            ? QueueHostSettings.Read(queues)
            : QueueHostSettings.Defaults;
    }

    private static JsonDocument? ReadHostJson()
    {
        var hostJson = Path.Combine(AppContext.BaseDirectory, "host.json");
        return File.Exists(hostJson)
            ? JsonDocument.Parse(File.ReadAllText(hostJson), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
            : null;
    }

    /// <summary>The route prefix from the function app's <c>host.json</c> (<c>api</c> when it names none).</summary>
    private static string ReadRoutePrefix()
    {
        using var document = ReadHostJson();
        if (document is null)
        {
            return "api";
        }

        return document.RootElement.TryGetProperty("extensions", out var extensions) &&
               extensions.TryGetProperty("http", out var http) &&
               http.TryGetProperty("routePrefix", out var prefix) &&
               prefix.GetString() is { } value
            ? value.Trim('/')
            : "api";
    }
}
