using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
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

    /// <summary>The machine's first IPv4 address outside loopback: what a service listening on
    /// all interfaces answers on, and what the issue reached (a documentation address there).</summary>
    private static IPAddress OwnAddress() =>
        MachineAddresses.Shared.Current().FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("This machine has no IPv4 address outside loopback to listen on.");

    /// <summary>The fetcher with a resolver the test controls: names resolve as it says, no DNS.</summary>
    private static ServiceProvider FetcherServices(IDictionary<string, string>? names = null, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Radar:Fetch:Retries"] = "0",
            ["Radar:Fetch:Timeout"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSources(new ConfigurationBuilder().AddInMemoryCollection(all).Build());
        services.AddSingleton<IHostResolver>(new NamesResolver(names ?? new Dictionary<string, string>()));
        return services.BuildServiceProvider();
    }

    /// <summary>Answers from a table: "name" → "address, address".</summary>
    private sealed class NamesResolver(IDictionary<string, string> names) : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult(names.TryGetValue(host, out var list)
                ? list.Split(',', StringSplitOptions.TrimEntries).Select(IPAddress.Parse).ToArray()
                : throw new System.Net.Sockets.SocketException((int)SocketError.HostNotFound));
    }

    [Fact]
    public async Task A_service_on_the_machines_own_address_is_not_reached_by_an_API_source()
    {
        var own = OwnAddress();
        await using var server = await SourceServer.StartAsync(own.ToString());
        server.MapContent("/intern.json", Utf8(Doc(Measure("intern"))), "application/json");
        await using var services = FetcherServices(names: new Dictionary<string, string> { ["intern.example.test"] = own.ToString() });
        var fetcher = services.GetRequiredService<SourceFetcher>();
        var byName = server.Url("/intern.json").Replace(own.ToString(), "intern.example.test", StringComparison.Ordinal);

        var api = await fetcher.FetchAsync(server.Url("/intern.json"), SourceKinds.MeasuresJson, SourceOrigins.Api, null, null, Ct);
        var named = await fetcher.FetchAsync(byName, SourceKinds.MeasuresJson, SourceOrigins.Api, null, null, Ct);
        var fromSettings = await fetcher.FetchAsync(server.Url("/intern.json"), SourceKinds.MeasuresJson, SourceOrigins.Settings, null, null, Ct);

        Assert.Equal(FetchStatus.Failed, api.Status);
        Assert.StartsWith($"Refused: {own} is ", api.Error, StringComparison.Ordinal);
        Assert.Equal(FetchStatus.Failed, named.Status);
        Assert.StartsWith($"Refused: intern.example.test resolves to {own}, ", named.Error, StringComparison.Ordinal);
        // The service is there: a source from settings reaches it, the API sources did not.
        Assert.Equal(FetchStatus.Fetched, fromSettings.Status);
        Assert.Equal(1, server.CountOf("/intern.json"));
    }

    /// <summary>Where a redirect points (<c>{port}</c>: the inner server's port), and what the
    /// refusal says. Every one names 127.0.0.2 or a range the guard refuses.</summary>
    public static TheoryData<string, string> RefusedRedirects => new()
    {
        { "http://[::ffff:127.0.0.2]:{port}/secret.json", "a loopback address" },
        { "http://[64:ff9b::127.0.0.2]:{port}/secret.json", "a NAT64 address (RFC 6052) embedding 127.0.0.2, a loopback address" },
        { "http://[64:ff9b:1::127.0.0.2]:{port}/secret.json", "a local-use NAT64 address (RFC 8215) embedding 127.0.0.2" },
        { "http://[2002:7f00:2::1]:{port}/secret.json", "a 6to4 address (RFC 3056) embedding 127.0.0.2, a loopback address" },
        { "http://[2001:0:4136:e378:8000:63bf:80ff:fffd]:{port}/secret.json", "a Teredo address (RFC 4380) embedding 127.0.0.2, a loopback address" },
        { "http://[::127.0.0.2]:{port}/secret.json", "an IPv4-compatible address (RFC 4291 §2.5.5.1) embedding 127.0.0.2" },
        { "http://198.51.100.7:{port}/secret.json", "a documentation address (TEST-NET-2)" },
        { "http://168.63.129.16:{port}/secret.json", "Azure's host endpoint" },
        { "http://inwards.example.test:{port}/secret.json", "inwards.example.test resolves to 64:ff9b::7f00:2, a NAT64 address" },
    };

    [Theory]
    [MemberData(nameof(RefusedRedirects))]
    public async Task A_redirect_from_an_allowed_address_to_a_refused_one_is_not_followed(string target, string refusal)
    {
        await using var allowed = await SourceServer.StartAsync("127.0.0.1");
        await using var inner = await SourceServer.StartAsync("127.0.0.2");
        inner.MapContent("/secret.json", Utf8(Doc(Measure("geheim"))), "application/json");
        var location = target.Replace("{port}", inner.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        allowed.Map("/redirect.json", context =>
        {
            context.Response.Redirect(location);
            return Task.CompletedTask;
        });
        await using var services = FetcherServices(
            names: new Dictionary<string, string> { ["inwards.example.test"] = "64:ff9b::127.0.0.2" },
            settings: new Dictionary<string, string?> { ["Radar:Fetch:AllowedNetworks"] = "127.0.0.1/32" });
        var fetcher = services.GetRequiredService<SourceFetcher>();

        var redirected = await fetcher.FetchAsync(allowed.Url("/redirect.json"), SourceKinds.MeasuresJson, SourceOrigins.Api, null, null, Ct);

        Assert.Equal(FetchStatus.Failed, redirected.Status);
        Assert.StartsWith("Refused: ", redirected.Error, StringComparison.Ordinal);
        Assert.Contains(refusal, redirected.Error, StringComparison.Ordinal);
        Assert.Equal(1, allowed.CountOf("/redirect.json"));
        Assert.Equal(0, inner.CountOf("/secret.json"));
    }

    [Fact]
    public async Task A_redirect_to_the_machines_own_address_is_not_followed()
    {
        var own = OwnAddress();
        await using var allowed = await SourceServer.StartAsync("127.0.0.1");
        await using var inner = await SourceServer.StartAsync(own.ToString());
        inner.MapContent("/secret.json", Utf8(Doc(Measure("geheim"))), "application/json");
        allowed.Map("/redirect.json", context =>
        {
            context.Response.Redirect(inner.Url("/secret.json"));
            return Task.CompletedTask;
        });
        await using var services = FetcherServices(settings: new Dictionary<string, string?> { ["Radar:Fetch:AllowedNetworks"] = "127.0.0.1/32" });
        var fetcher = services.GetRequiredService<SourceFetcher>();

        var redirected = await fetcher.FetchAsync(allowed.Url("/redirect.json"), SourceKinds.MeasuresJson, SourceOrigins.Api, null, null, Ct);
        var direct = await fetcher.FetchAsync(inner.Url("/secret.json"), SourceKinds.MeasuresJson, SourceOrigins.Settings, null, null, Ct);

        Assert.Equal(FetchStatus.Failed, redirected.Status);
        Assert.StartsWith($"Refused: {own} is ", redirected.Error, StringComparison.Ordinal);
        Assert.Equal(FetchStatus.Fetched, direct.Status);
        Assert.Equal(1, inner.CountOf("/secret.json"));
    }

    [Fact]
    public async Task A_name_with_one_public_and_one_inward_address_connects_only_to_the_public_one()
    {
        await using var allowed = await SourceServer.StartAsync("127.0.0.1");
        allowed.MapContent("/radar.json", Utf8(Doc(Measure("wlan"))), "application/json");
        // 127.0.0.1 is allowed here and stands for the public address; 192.0.2.1 must not be tried.
        await using var services = FetcherServices(
            names: new Dictionary<string, string> { ["mixed.example.test"] = "192.0.2.1, 127.0.0.1" },
            settings: new Dictionary<string, string?> { ["Radar:Fetch:AllowedNetworks"] = "127.0.0.1/32" });
        var fetcher = services.GetRequiredService<SourceFetcher>();

        var result = await fetcher.FetchAsync(allowed.Url("/radar.json").Replace("127.0.0.1", "mixed.example.test", StringComparison.Ordinal),
            SourceKinds.MeasuresJson, SourceOrigins.Api, null, null, Ct);

        Assert.Equal(FetchStatus.Fetched, result.Status);
        Assert.Equal(1, allowed.CountOf("/radar.json"));
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
