using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Sources;
using Radar.Core.Tests.Measures;
using static Radar.Core.Tests.Measures.TestDocs;

namespace Radar.Core.Tests.Sources;

/// <summary>The shared fetcher and source runner against a real HTTP server on loopback.</summary>
public class SourceFetchTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Conditional_GET_sends_the_validators_and_a_304_is_nothing_to_do()
    {
        await using var server = await SourceServer.StartAsync();
        server.MapContent("/radar.json", Utf8(Doc(Measure("wlan"))), "application/json", "\"v1\"");
        await using var h = MeasuresHarness.Create(azurite, [(server.Url("/radar.json"), SourceKinds.MeasuresJson, null, null)]);

        var first = Assert.Single((await h.RunAsync()).Sources);
        var second = Assert.Single((await h.RunAsync()).Sources);

        Assert.Equal((SourceOutcomes.Ingested, SourceOutcomes.NotModified), (first.Outcome, second.Outcome));
        var requests = server.Requests.ToArray();
        Assert.Equal(["", "\"v1\""], requests.Select(r => r.IfNoneMatch));
        Assert.All(requests, r => Assert.Equal("Radar/0.1.0 (+https://radar.example.test)", r.UserAgent));
        Assert.All(requests, r => Assert.Contains("br", r.AcceptEncoding, StringComparison.Ordinal));
        var source = (await h.Sources.ListAsync(Ct)).Single();
        Assert.Equal("\"v1\"", source.ETag);
        Assert.Equal(SourceOutcomes.NotModified, source.LastOutcome);
    }

    [Fact]
    public async Task Last_Modified_is_sent_back_as_If_Modified_Since()
    {
        await using var server = await SourceServer.StartAsync();
        var modified = new DateTimeOffset(2024, 7, 23, 10, 0, 0, TimeSpan.Zero);
        server.Map("/radar.json", async context =>
        {
            if (context.Request.Headers.IfModifiedSince.Count > 0)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            context.Response.Headers.LastModified = modified.ToString("R");
            await context.Response.WriteAsync(Doc(Measure("wlan")), Ct);
        });
        await using var h = MeasuresHarness.Create(azurite, [(server.Url("/radar.json"), SourceKinds.MeasuresJson, null, null)]);

        await h.RunAsync();
        var second = Assert.Single((await h.RunAsync()).Sources);

        Assert.Equal(SourceOutcomes.NotModified, second.Outcome);
        Assert.Equal(modified, DateTimeOffset.Parse(server.Requests.Last().IfModifiedSince, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Compressed_answers_are_decompressed(string encoding)
    {
        await using var server = await SourceServer.StartAsync();
        server.Map("/radar.json", async context =>
        {
            using var buffer = new MemoryStream();
            await using (Stream compressor = encoding == "gzip"
                ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)
                : new BrotliStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                await compressor.WriteAsync(Utf8(Doc(Measure("wlan"), Measure("e-akte"))), Ct);
            }

            context.Response.Headers.ContentEncoding = encoding;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(buffer.ToArray(), Ct);
        });
        await using var h = MeasuresHarness.Create(azurite, [(server.Url("/radar.json"), SourceKinds.MeasuresJson, null, null)]);

        var report = Assert.Single((await h.RunAsync()).Sources);

        Assert.Equal((SourceOutcomes.Ingested, 2), (report.Outcome, report.Created));
    }

    [Fact]
    public async Task A_few_redirects_are_followed_and_a_redirect_loop_ends_with_a_reason()
    {
        await using var server = await SourceServer.StartAsync();
        server.MapContent("/final.json", Utf8(Doc(Measure("wlan"))), "application/json");
        server.Map("/moved.json", context =>
        {
            context.Response.Redirect("/final.json", permanent: true);
            return Task.CompletedTask;
        });
        server.Map("/loop-a", context =>
        {
            context.Response.Redirect("/loop-b");
            return Task.CompletedTask;
        });
        server.Map("/loop-b", context =>
        {
            context.Response.Redirect("/loop-a");
            return Task.CompletedTask;
        });
        await using var h = MeasuresHarness.Create(azurite,
            [(server.Url("/moved.json"), SourceKinds.MeasuresJson, null, null), (server.Url("/loop-a"), SourceKinds.MeasuresJson, "testradar", null)]);

        var report = await h.RunAsync();

        Assert.Equal(SourceOutcomes.Ingested, report.Sources[0].Outcome);
        Assert.Equal(SourceOutcomes.Failed, report.Sources[1].Outcome);
        Assert.Contains("Too many redirects (more than 5)", report.Sources[1].Error, StringComparison.Ordinal);
        Assert.InRange(server.CountOf("/loop-a") + server.CountOf("/loop-b"), 5, 7);
    }

    [Fact]
    public async Task Retry_After_on_503_defers_the_source_until_then_and_it_is_fetched_again_afterwards()
    {
        await using var server = await SourceServer.StartAsync();
        var busy = true;
        server.Map("/radar.json", async context =>
        {
            if (busy)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "3600";
                return;
            }

            await context.Response.WriteAsync(Doc(Measure("wlan")), Ct);
        });
        await using var h = MeasuresHarness.Create(azurite, [(server.Url("/radar.json"), SourceKinds.MeasuresJson, null, null)]);

        var failed = Assert.Single((await h.RunAsync()).Sources);
        h.Clock.Advance(TimeSpan.FromMinutes(30));
        busy = false;
        var deferred = Assert.Single((await h.RunAsync()).Sources);
        h.Clock.Advance(TimeSpan.FromMinutes(31));
        var retried = Assert.Single((await h.RunAsync()).Sources);

        Assert.Equal(SourceOutcomes.Failed, failed.Outcome);
        Assert.Contains("retry after 60 min", failed.Error, StringComparison.Ordinal);
        Assert.True(failed.NextAttempt >= MeasuresHarness.Start.AddHours(1));
        Assert.Equal(SourceOutcomes.Deferred, deferred.Outcome);
        Assert.Equal(SourceOutcomes.Ingested, retried.Outcome);
        Assert.Equal(2, server.CountOf("/radar.json"));
    }

    [Fact]
    public async Task Back_off_grows_with_each_failure_is_capped_and_never_gives_up()
    {
        await using var server = await SourceServer.StartAsync();
        var failing = true;
        server.Map("/radar.json", async context =>
        {
            if (failing)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
                return;
            }

            await context.Response.WriteAsync(Doc(Measure("wlan")), Ct);
        });
        await using var h = MeasuresHarness.Create(azurite, [(server.Url("/radar.json"), SourceKinds.MeasuresJson, null, null)],
            new Dictionary<string, string?> { ["Radar:Fetch:BackoffBase"] = "00:01:00", ["Radar:Fetch:BackoffMax"] = "01:00:00" });

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 12; i++)
        {
            var report = Assert.Single((await h.RunAsync()).Sources);
            Assert.Equal(SourceOutcomes.Failed, report.Outcome);
            waits.Add(report.NextAttempt!.Value - h.Clock.GetUtcNow());
            h.Clock.Advance(waits[^1]);
        }

        failing = false;
        var recovered = Assert.Single((await h.RunAsync()).Sources);

        // 1, 2, 4, 8 … minutes (±20 % jitter), then never more than an hour.
        Assert.InRange(waits[0], TimeSpan.FromSeconds(48), TimeSpan.FromSeconds(72));
        Assert.InRange(waits[3], TimeSpan.FromMinutes(6.4), TimeSpan.FromMinutes(9.6));
        Assert.All(waits, w => Assert.True(w <= TimeSpan.FromHours(1)));
        Assert.All(waits.Skip(8), w => Assert.True(w >= TimeSpan.FromMinutes(48)));
        Assert.Equal(SourceOutcomes.Ingested, recovered.Outcome);
        Assert.Equal(0, (await h.Sources.ListAsync(Ct)).Single().ConsecutiveFailures);
    }

    [Fact]
    public async Task Sources_added_through_the_API_may_not_reach_loopback_after_DNS_or_read_files()
    {
        await using var server = await SourceServer.StartAsync();
        server.MapContent("/radar.json", Utf8(Doc(Measure("wlan"))), "application/json");
        await using var h = MeasuresHarness.Create(azurite);
        var fetcher = h.Services.GetRequiredService<SourceFetcher>();
        var local = server.Url("/radar.json");
        var byName = local.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        var literal = await fetcher.FetchAsync(local, SourceKinds.MeasuresJson, SourceOrigins.Api, null, null, Ct);
        var named = await fetcher.FetchAsync(byName, SourceKinds.MeasuresJson, SourceOrigins.Api, null, null, Ct);
        var file = await fetcher.FetchAsync("file:" + Path.Combine(SamplesFolder, "muenchen.json"), SourceKinds.MeasuresJson, SourceOrigins.Api, null, null, Ct);
        var fromSettings = await fetcher.FetchAsync(local, SourceKinds.MeasuresJson, SourceOrigins.Settings, null, null, Ct);

        Assert.Equal(FetchStatus.Failed, literal.Status);
        Assert.Contains("127.0.0.1", literal.Error, StringComparison.Ordinal);
        Assert.Contains("loopback", literal.Error, StringComparison.Ordinal);
        Assert.Equal(FetchStatus.Failed, named.Status);
        Assert.Contains("localhost resolves to", named.Error, StringComparison.Ordinal);
        Assert.Equal(FetchStatus.Failed, file.Status);
        Assert.Contains("only allowed in settings", file.Error, StringComparison.Ordinal);
        Assert.Equal(FetchStatus.Fetched, fromSettings.Status);
        Assert.Equal(1, server.CountOf("/radar.json"));
    }

    [Fact]
    public async Task An_allowed_network_opens_the_guard_for_it_only_and_every_redirect_is_checked_again()
    {
        await using var allowed = await SourceServer.StartAsync("127.0.0.1");
        await using var other = await SourceServer.StartAsync("127.0.0.2");
        other.MapContent("/secret.json", Utf8(Doc(Measure("geheim"))), "application/json");
        allowed.MapContent("/radar.json", Utf8(Doc(Measure("wlan"))), "application/json");
        allowed.Map("/redirect.json", context =>
        {
            context.Response.Redirect(other.Url("/secret.json"));
            return Task.CompletedTask;
        });
        await using var h = MeasuresHarness.Create(azurite, settings: new Dictionary<string, string?> { ["Radar:Fetch:AllowedNetworks"] = "127.0.0.1/32" });
        var fetcher = h.Services.GetRequiredService<SourceFetcher>();

        var direct = await fetcher.FetchAsync(allowed.Url("/radar.json"), SourceKinds.MeasuresJson, SourceOrigins.Api, null, null, Ct);
        var redirected = await fetcher.FetchAsync(allowed.Url("/redirect.json"), SourceKinds.MeasuresJson, SourceOrigins.Api, null, null, Ct);

        Assert.Equal(FetchStatus.Fetched, direct.Status);
        Assert.Equal(FetchStatus.Failed, redirected.Status);
        Assert.Contains("127.0.0.2", redirected.Error, StringComparison.Ordinal);
        Assert.Equal(0, other.CountOf("/secret.json"));
    }

    [Theory]
    [InlineData("10.1.2.3", "private")]
    [InlineData("192.168.178.1", "private")]
    [InlineData("172.20.0.5", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("::1", "loopback")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd00::7", "private (unique local)")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("100.64.1.1", "shared (carrier-grade NAT)")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("93.184.216.34", null)]
    [InlineData("2a00:1450:4001:82b::200e", null)]
    public void The_guard_knows_which_addresses_are_not_public(string address, string? refusal)
    {
        var guard = new AddressGuard(allowPrivate: false, allowed: []);

        Assert.Equal(refusal, guard.RefusalFor(IPAddress.Parse(address)));
        Assert.Null(new AddressGuard(allowPrivate: true, allowed: []).RefusalFor(IPAddress.Parse(address)));
    }

    [Fact]
    public async Task Transient_failures_are_retried_within_one_fetch()
    {
        await using var server = await SourceServer.StartAsync();
        var calls = 0;
        server.Map("/flaky.json", async context =>
        {
            if (Interlocked.Increment(ref calls) < 3)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            await context.Response.WriteAsync(Doc(Measure("wlan")), Ct);
        });
        // A real clock here: retry delays are waited for.
        await using var h = MeasuresHarness.Create(azurite, settings: new Dictionary<string, string?>
        {
            ["Radar:Fetch:Retries"] = "2",
            ["Radar:Fetch:RetryDelay"] = "00:00:00.050",
        }, systemClock: true);
        var fetcher = h.Services.GetRequiredService<SourceFetcher>();

        var result = await fetcher.FetchAsync(server.Url("/flaky.json"), SourceKinds.MeasuresJson, SourceOrigins.Settings, null, null, Ct);

        Assert.Equal(FetchStatus.Fetched, result.Status);
        Assert.Equal(3, server.CountOf("/flaky.json"));
    }
}
