using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Radar.Functions.Tests.ScaleOut;

/// <summary>
/// One Radar instance as a city's second machine would run it: the local runner in a process of
/// its own (timers and all), reading a <c>local.settings.json</c> written for it. Several of them
/// on one storage prefix are what scale-out looks like without the Functions host.
/// </summary>
internal sealed class RunnerInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private RunnerInstance(string name, Process process, string folder, int port)
    {
        Name = name;
        _process = process;
        _folder = folder;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(3) };
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public HttpClient Client { get; }

    /// <summary>Everything the process wrote, for the failure message.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    public static async Task<RunnerInstance> StartAsync(string name, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("radar-instance-").FullName;
        var settings = new JsonObject { ["IsEncrypted"] = false, ["Values"] = new JsonObject(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))) };
        await File.WriteAllTextAsync(Path.Combine(folder, "local.settings.json"), settings.ToJsonString(), cancellationToken);

        var port = Radar.Local.Azurite.AzuritePorts.Free().Blob;
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder, // the runner reads local.settings.json from here first
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Radar.Local.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        var instance = new RunnerInstance(name, Process.Start(start)!, folder, port);
        instance._process.OutputDataReceived += (_, e) => instance.Output.Enqueue(e.Data ?? string.Empty);
        instance._process.ErrorDataReceived += (_, e) => instance.Output.Enqueue(e.Data ?? string.Empty);
        instance._process.BeginOutputReadLine();
        instance._process.BeginErrorReadLine();
        return instance;
    }

    public async Task WaitUntilServingAsync(CancellationToken cancellationToken)
    {
        await Eventually.WaitForAsync(
            async () =>
            {
                try
                {
                    using var response = await Client.GetAsync("api/health", cancellationToken);
                    return (int)response.StatusCode;
                }
                catch (HttpRequestException) when (!_process.HasExited)
                {
                    return 0;
                }
            },
            status => status is 200 or 503 || _process.HasExited,
            $"instance {Name} to answer /api/health",
            TimeSpan.FromSeconds(120),
            TimeSpan.FromMilliseconds(250));
        Assert.False(_process.HasExited, $"instance {Name} exited:\n{string.Join('\n', Output)}");
    }

    /// <summary><c>POST /api/admin/ingest/measures</c>: the status and the body.</summary>
    public async Task<(int Status, JsonElement Body)> IngestMeasuresAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/ingest/measures");
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await Client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return ((int)response.StatusCode, body);
    }

    /// <summary>Gone at once, as a crashed machine goes: no lease released, nothing flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
