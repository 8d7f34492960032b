using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Radar.Local.Azurite;

namespace Radar.Functions.Tests.Runner;

/// <summary>The runner as a developer starts it: its own process, its own Azurite, then stopped
/// with Ctrl-C (SIGINT) or killed outright. Nothing may be left running.</summary>
public class RunnerProcessTests
{
    [Theory]
    [InlineData("INT")]
    [InlineData("KILL")]
    public async Task Stopping_the_runner_leaves_no_Azurite_behind(string signal)
    {
        var ct = TestContext.Current.CancellationToken;
        var ports = AzuritePorts.Free();
        var httpPort = AzuritePorts.Free().Blob;
        var location = Path.Combine(Path.GetTempPath(), "radar-azurite-" + Guid.NewGuid().ToString("N"));
        using var runner = StartRunner(ports, httpPort, location);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };
            var health = await Eventually.WaitForAsync(
                () => client.GetFromJsonAsync<JsonElement>("api/health", ct),
                h => h.GetProperty("status").GetString() == "ok",
                "the runner's health to answer ok",
                TimeSpan.FromSeconds(90),
                TimeSpan.FromMilliseconds(250));
            Assert.Equal("ok", health.GetProperty("storage").GetProperty("status").GetString());

            using (var kill = Process.Start("kill", ["-" + signal, runner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(ct);
            }

            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await runner.WaitForExitAsync(exited.Token);
            await Eventually.WaitForAsync(
                async () => !await AzuriteProcess.IsListeningAsync(ports.Table, ct) && !await AzuriteProcess.IsListeningAsync(ports.Blob, ct),
                stopped => stopped,
                "Azurite to stop with the runner",
                TimeSpan.FromSeconds(15));
        }
        finally
        {
            if (!runner.HasExited)
            {
                runner.Kill(entireProcessTree: true);
            }

            if (Directory.Exists(location))
            {
                Directory.Delete(location, recursive: true);
            }
        }
    }

    private static Process StartRunner(AzuritePorts ports, int httpPort, string location)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Radar.Local.dll");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{httpPort}");
        start.Environment["AzureWebJobsStorage"] = ports.ConnectionString;
        start.Environment["LocalRunner__AzuriteLocation"] = location;
        start.Environment["LocalRunner__RunTimersOnStartup"] = "false";
        start.Environment["LocalRunner__Timers"] = "false";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
