using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Radar.Local.Azurite;

namespace Radar.Functions.Tests.Runner;

public class LocalRunnerTests(AzuriteFixture azurite)
{
    private static readonly string Yearly = "0 0 0 1 1 *";

    private Task<RadarApp> StartAsync(
        TimerProbe? probe = null, IDictionary<string, string?>? settings = null, string? settingsFile = null, TimeProvider? clock = null, QueueProbe? queueProbe = null)
    {
        var all = new Dictionary<string, string?> { ["TestTimerSchedule"] = Yearly, ["TestQueue"] = "t" + Guid.NewGuid().ToString("N")[..12] + "-test" };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        return RadarApp.StartAsync(
            azurite,
            all,
            [typeof(RunnerTestFunctions).Assembly],
            services =>
            {
                services.AddSingleton(probe ?? new TimerProbe());
                services.AddSingleton(queueProbe ?? new QueueProbe());
                if (clock is not null)
                {
                    services.AddSingleton(clock);
                }
            },
            settingsFile);
    }

    [Fact]
    public async Task An_http_function_answers_on_its_route_with_route_values_bound()
    {
        await using var app = await StartAsync();
        var ct = TestContext.Current.CancellationToken;

        var answer = await app.Client.GetFromJsonAsync<JsonElement>("api/test/echo/M%C3%BCnchen/42?q=wlan", ct);

        Assert.Equal("München", answer.GetProperty("name").GetString());
        Assert.Equal(42, answer.GetProperty("count").GetInt32());
        Assert.Equal("wlan", answer.GetProperty("query").GetString());
    }

    [Fact]
    public async Task A_route_that_does_not_match_its_constraint_or_method_is_not_found()
    {
        await using var app = await StartAsync();
        var ct = TestContext.Current.CancellationToken;

        var wrongConstraint = await app.Client.GetAsync("api/test/echo/x/notanumber", ct);
        var wrongMethod = await app.Client.DeleteAsync("api/test/echo/x/1", ct);

        Assert.Equal(HttpStatusCode.NotFound, wrongConstraint.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }

    [Theory]
    [InlineData(null, null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key", null, HttpStatusCode.Unauthorized)]
    [InlineData(RadarApp.FunctionKey, null, HttpStatusCode.OK)]
    [InlineData(null, RadarApp.FunctionKey, HttpStatusCode.OK)]
    [InlineData(RadarApp.MasterKey, null, HttpStatusCode.OK)]
    public async Task A_function_level_route_needs_the_function_key(string? header, string? code, HttpStatusCode expected)
    {
        await using var app = await StartAsync();
        var ct = TestContext.Current.CancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Post, code is null ? "api/test/secure" : $"api/test/secure?code={code}");
        if (header is not null)
        {
            request.Headers.Add("x-functions-key", header);
        }

        var response = await app.Client.SendAsync(request, ct);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData(RadarApp.FunctionKey, HttpStatusCode.Unauthorized)]
    [InlineData(RadarApp.MasterKey, HttpStatusCode.OK)]
    public async Task An_admin_level_route_needs_the_master_key(string key, HttpStatusCode expected)
    {
        await using var app = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/test/admin");
        request.Headers.Add("x-functions-key", key);

        var response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_failing_function_is_a_500_problem_and_the_runner_keeps_serving()
    {
        await using var app = await StartAsync();
        var ct = TestContext.Current.CancellationToken;

        var failed = await app.Client.GetAsync("api/test/failure", ct);
        var next = await app.Client.GetAsync("api/test/echo/a/1", ct);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("boom", await failed.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task A_timer_fires_on_its_schedule_from_a_setting_one_run_at_a_time()
    {
        // Every second, but each run takes longer than that: runs must queue, never overlap. The
        // runner's clock is a fake one the test moves on, a tenth of a second at a time.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        var probe = new TimerProbe { RunTime = TimeSpan.FromMilliseconds(1300), Clock = clock };
        await using var app = await StartAsync(probe, new Dictionary<string, string?> { ["TestTimerSchedule"] = "*/1 * * * * *" }, clock: clock);

        await Eventually.WaitForAsync(
            () =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(100));
                return Task.FromResult(probe.Runs);
            },
            runs => runs >= 3,
            "three timer runs",
            interval: TimeSpan.FromMilliseconds(10));

        Assert.Equal(1, probe.MaxConcurrent);
        var starts = probe.Starts.ToArray();
        Assert.All(starts.Zip(starts.Skip(1)), pair => Assert.True(pair.Second - pair.First >= probe.RunTime));
    }

    [Fact]
    public async Task A_queue_function_gets_base64_messages_from_the_queue_its_setting_names_and_a_failing_one_goes_to_the_poison_queue()
    {
        var probe = new QueueProbe();
        var name = "t" + Guid.NewGuid().ToString("N")[..12] + "-queue";
        await using var app = await StartAsync(settings: new Dictionary<string, string?> { ["TestQueue"] = name }, queueProbe: probe);
        // Written as any producer writes for the host's extension: base64.
        var queue = new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, name, new Azure.Storage.Queues.QueueClientOptions { MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken);
        await queue.SendMessageAsync("Grüß Gott", TestContext.Current.CancellationToken);
        await queue.SendMessageAsync("fail", TestContext.Current.CancellationToken);

        await Eventually.WaitForAsync(() => probe.Received.Contains("Grüß Gott"), "the message to arrive decoded");
        var poison = new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, name + "-poison", new Azure.Storage.Queues.QueueClientOptions { MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64 });
        var parked = await Eventually.WaitForAsync(
            async () => await poison.ExistsAsync(TestContext.Current.CancellationToken) ? (await poison.PeekMessagesAsync(10, TestContext.Current.CancellationToken)).Value : [],
            m => m.Length > 0, "the failing message in the poison queue", TimeSpan.FromSeconds(60));

        Assert.Equal("fail", Assert.Single(parked).Body.ToString());
        // maxDequeueCount in host.json is 5: five runs, then the poison queue.
        Assert.Equal(5, probe.Received.Count(m => m == "fail"));
        Assert.Single(probe.Received, m => m == "Grüß Gott");
        Assert.Equal(0, (await queue.GetPropertiesAsync(TestContext.Current.CancellationToken)).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Timers_run_on_startup_when_the_runner_is_told_to()
    {
        var probe = new TimerProbe();
        await using var app = await StartAsync(probe, new Dictionary<string, string?> { ["LocalRunner:RunTimersOnStartup"] = "true" });

        await Eventually.WaitForAsync(() => probe.Runs >= 1, "the startup run of a yearly timer");
    }

    [Fact]
    public async Task A_schedule_naming_a_missing_setting_stops_startup_with_its_name()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            StartAsync(settings: new Dictionary<string, string?> { ["TestTimerSchedule"] = null }));

        Assert.Contains("TestTimerSchedule", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_from_local_settings_json_arrive_and_the_environment_wins_over_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var envKey = "RadarTest_" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(Path.GetTempPath(), $"local.settings.{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "IsEncrypted": false,
              "Values": {
                "Radar__Greeting": "Servus München",
                "{{envKey}}": "from the file",
                "TestTimerSchedule": "{{Yearly}}"
              },
              "Host": { "LocalHttpPort": 7999 }
            }
            """, ct);
        Environment.SetEnvironmentVariable(envKey, "from the environment");
        try
        {
            await using var app = await StartAsync(settingsFile: file, settings: new Dictionary<string, string?>());

            var greeting = await app.Client.GetFromJsonAsync<JsonElement>("api/test/setting/Radar:Greeting", ct);
            var env = await app.Client.GetFromJsonAsync<JsonElement>($"api/test/setting/{envKey}", ct);

            Assert.Equal("Servus München", greeting.GetProperty("value").GetString());
            Assert.Equal("from the environment", env.GetProperty("value").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(envKey, null);
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Development_storage_with_nothing_listening_starts_Azurite_and_stops_it_with_the_runner()
    {
        var ct = TestContext.Current.CancellationToken;
        var ports = AzuritePorts.Free();
        var location = Path.Combine(Path.GetTempPath(), "radar-azurite-" + Guid.NewGuid().ToString("N"));
        var app = await StartAsync(settings: new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = ports.ConnectionString,
            ["LocalRunner:StartAzurite"] = "true",
            ["LocalRunner:AzuriteLocation"] = location,
        });
        try
        {
            var health = await app.Client.GetFromJsonAsync<JsonElement>("api/health", ct);
            Assert.Equal("ok", health.GetProperty("storage").GetProperty("status").GetString());
            Assert.True(Directory.EnumerateFileSystemEntries(location).Any(), "Azurite keeps its data in the configured folder");
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.False(await AzuriteProcess.IsListeningAsync(ports.Table, ct), "Azurite must stop with the runner");
        Assert.False(await AzuriteProcess.IsListeningAsync(ports.Blob, ct), "Azurite must stop with the runner");
        Directory.Delete(location, recursive: true);
    }
}
