using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Ingest;
using Radar.Core.News;

namespace Radar.Functions.Tests.News;

/// <summary>
/// The news ingest as the admin endpoint runs it: the bundled sample feeds from settings, and
/// feed servers the tests stand up on loopback that misbehave the ways real ones do.
/// </summary>
public class NewsIngestTests(AzuriteFixture azurite)
{
    static NewsIngestTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (string Id, string File)[] SampleFeeds =
    [
        ("stadtportal-muenchen", "stadtportal-muenchen.atom"),
        ("kommunal-digital", "kommunal-digital.rss"),
        ("digitales-muenchen", "digitales-muenchen.json"),
        ("verwaltung-modern", "verwaltung-modern.rdf"),
    ];

    private static Dictionary<string, string?> SampleSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Radar:Http:CacheSeconds"] = "0",
            ["Radar:Measures:DefaultRadar"] = "muenchen",
            ["Radar:Sources:0:Id"] = "muenchen",
            ["Radar:Sources:0:Url"] = "file:samples/measures/muenchen.json",
            ["Radar:Sources:0:Kind"] = "measures-json",
        };
        for (var i = 0; i < SampleFeeds.Length; i++)
        {
            settings[$"Radar:Sources:{i + 1}:Id"] = SampleFeeds[i].Id;
            settings[$"Radar:Sources:{i + 1}:Url"] = "file:samples/news/" + SampleFeeds[i].File;
            settings[$"Radar:Sources:{i + 1}:Kind"] = "news";
        }

        return settings;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(RadarApp app, string url, bool withKey = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (withKey)
        {
            request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        }

        using var response = await app.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static JsonElement Source(JsonElement report, string id) =>
        report.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("source").GetString() == id);

    private static async Task<List<JsonElement>> AllNewsAsync(RadarApp app)
    {
        var page = await app.Client.GetFromJsonAsync<JsonElement>("api/news?pageSize=100", Ct);
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task The_sample_feeds_are_ingested_once_with_umlauts_merged_stories_and_related_measures_and_a_second_run_stores_nothing_twice()
    {
        await using var app = await RadarApp.StartAsync(azurite, SampleSettings());
        var (measuresStatus, _) = await PostAsync(app, "api/admin/ingest/measures");

        var (status, first) = await PostAsync(app, "api/admin/ingest/news");
        var (_, second) = await PostAsync(app, "api/admin/ingest/news");
        var (_, forced) = await PostAsync(app, "api/admin/ingest/news?force=true");
        var items = await AllNewsAsync(app);

        Assert.Equal(HttpStatusCode.OK, measuresStatus);
        Assert.Equal(HttpStatusCode.OK, status);
        var reports = SampleFeeds.Select(f => Source(first, f.Id)).ToList();
        Assert.All(reports, r => Assert.Equal("ingested", r.GetProperty("outcome").GetString()));
        Assert.Equal(["atom", "rss20", "jsonfeed", "rdf"], reports.Select(r => r.GetProperty("format").GetString()));
        var stored = reports.Sum(r => r.GetProperty("new").GetInt32());
        var merged = reports.Sum(r => r.GetProperty("merged").GetInt32());
        Assert.True(merged >= 1, "the story in both the Atom and the JSON sample is merged, not stored twice");
        Assert.Equal(stored, items.Count);
        Assert.Equal(items.Count, items.Select(i => i.GetProperty("link").GetString()).Distinct().Count());

        // The same files again: not modified; read in full: every item unchanged.
        Assert.All(SampleFeeds, f => Assert.Equal("not-modified", Source(second, f.Id).GetProperty("outcome").GetString()));
        Assert.All(SampleFeeds, f => Assert.Equal(0, Source(forced, f.Id).GetProperty("new").GetInt32() + Source(forced, f.Id).GetProperty("updated").GetInt32()));
        Assert.Equal(stored, (await AllNewsAsync(app)).Count);

        // Windows-1252 umlauts survive; the shared story names both sources; items know their measures.
        var titles = items.Select(i => i.GetProperty("title").GetString()!).ToList();
        Assert.Contains(titles, t => t.Contains('ü', StringComparison.Ordinal) || t.Contains('ä', StringComparison.Ordinal) || t.Contains('ö', StringComparison.Ordinal));
        Assert.DoesNotContain(titles, t => t.Contains('\uFFFD', StringComparison.Ordinal) || t.Contains('Ã', StringComparison.Ordinal));
        Assert.Contains(items, i => i.GetProperty("sources").GetArrayLength() == 2);
        var wlan = items.Where(i => i.GetProperty("title").GetString()!.Contains("WLAN", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(wlan);
        Assert.Contains(wlan, i => i.GetProperty("relatedMeasures").EnumerateArray().Any(m => m.GetString()!.Contains("wlan", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Hostile_sources_are_reported_and_backed_off_while_the_good_ones_ingest_in_the_same_run()
    {
        await using var server = await SourceServer.StartAsync();
        var goodFeed = Rss("Gute Quelle", ("Digitale Bürgerdienste starten", "https://gut.example/a"), ("Neue E-Akte im Rathaus", "https://gut.example/b"));
        server.MapContent("/good.rss", Encoding.UTF8.GetBytes(goodFeed), "application/rss+xml; charset=utf-8");
        server.Map("/busy.rss", context =>
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "3600";
            return Task.CompletedTask;
        });
        server.Map("/down.rss", context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        server.Map("/loop.rss", context =>
        {
            context.Response.Redirect("/loop.rss");
            return Task.CompletedTask;
        });
        var huge = Rss("Riesig", [.. Enumerable.Range(0, 2000).Select(i => ($"Meldung {i} " + new string('x', 200), $"https://riesig.example/{i}"))]);
        server.MapContent("/huge.rss", Encoding.UTF8.GetBytes(huge), "application/rss+xml");
        var withBrokenItem = Rss("Teils kaputt", ("Erste gute Meldung", "https://teils.example/1"), (null, null), ("Zweite gute Meldung", "https://teils.example/2"));
        server.MapContent("/partly.rss", Encoding.UTF8.GetBytes(withBrokenItem), "application/rss+xml");
        // Windows-1252 bytes, yet both the HTTP header and the XML prolog say UTF-8.
        var mislabelled = Rss("Falsch ausgezeichnet", ("Größere Förderung für Schulen", "https://falsch.example/1"));
        server.MapContent("/mislabelled.rss", Encoding.GetEncoding(1252).GetBytes(mislabelled), "application/rss+xml; charset=utf-8");
        server.MapContent("/notafeed.rss", "<html><body>Wartungsarbeiten</body></html>"u8.ToArray(), "text/html");
        // Cut off in the middle of its second item, as a broken transfer or a full disk leaves it.
        var whole = Rss("Abgeschnitten", ("Vollständige erste Meldung", "https://abgeschnitten.example/1"), ("Abgeschnittene zweite Meldung", "https://abgeschnitten.example/2"));
        var truncated = whole[..(whole.IndexOf("Abgeschnittene zweite", StringComparison.Ordinal) + 14)];
        server.MapContent("/truncated.rss", Encoding.UTF8.GetBytes(truncated), "application/rss+xml; charset=utf-8");

        var names = new[] { "good", "busy", "down", "loop", "huge", "partly", "mislabelled", "notafeed", "truncated" };
        var settings = new Dictionary<string, string?>
        {
            ["Radar:Fetch:MaxBytes"] = "100000",
            ["Radar:Fetch:Retries"] = "0",
            ["Radar:Fetch:MaxRetryAfterWait"] = "00:00:01",
        };
        for (var i = 0; i < names.Length; i++)
        {
            settings[$"Radar:Sources:{i}:Id"] = names[i];
            settings[$"Radar:Sources:{i}:Url"] = server.Url(names[i] + ".rss");
            settings[$"Radar:Sources:{i}:Kind"] = "news";
        }

        await using var app = await RadarApp.StartAsync(azurite, settings);
        var before = DateTimeOffset.UtcNow;
        var (status, report) = await PostAsync(app, "api/admin/ingest/news");
        var items = await AllNewsAsync(app);

        Assert.Equal(HttpStatusCode.OK, status);
        string Outcome(string id) => Source(report, id).GetProperty("outcome").GetString()!;
        Assert.Equal("ingested", Outcome("good"));
        Assert.Equal("ingested", Outcome("partly"));
        Assert.Equal("ingested", Outcome("mislabelled"));
        Assert.All(new[] { "busy", "down", "loop", "huge", "notafeed" }, id =>
        {
            Assert.Equal("failed", Outcome(id));
            Assert.False(string.IsNullOrEmpty(Source(report, id).GetProperty("error").GetString()));
            Assert.True(Source(report, id).GetProperty("nextAttempt").GetDateTimeOffset() > before, $"{id} is backed off");
        });

        // Retry-After asked for an hour: the source is not tried before then.
        Assert.True(Source(report, "busy").GetProperty("nextAttempt").GetDateTimeOffset() >= before.AddMinutes(59));

        // The broken item is skipped with its position and reason; its neighbours are stored.
        var skipped = Source(report, "partly").GetProperty("skipped").EnumerateArray().Single();
        Assert.Equal(2, skipped.GetProperty("position").GetInt32());
        Assert.False(string.IsNullOrEmpty(skipped.GetProperty("reason").GetString()));
        var titles = items.Select(i => i.GetProperty("title").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "Digitale Bürgerdienste starten", "Neue E-Akte im Rathaus", "Erste gute Meldung", "Zweite gute Meldung", "Größere Förderung für Schulen", "Vollständige erste Meldung" }, titles);
        Assert.Equal(6, items.Count);

        // The truncated feed: its complete first item is stored, and the source is partial,
        // with where the XML broke (line and column of the decoded text) — not backed off.
        var cut = Source(report, "truncated");
        Assert.Equal("partial", cut.GetProperty("outcome").GetString());
        Assert.Equal(1, cut.GetProperty("new").GetInt32());
        var expectedLine = truncated.Count(c => c == '\n') + 1;
        Assert.Equal(expectedLine, cut.GetProperty("break").GetProperty("line").GetInt32());
        var column = cut.GetProperty("break").GetProperty("column").GetInt32();
        Assert.Contains($"line {expectedLine}, column {column}", cut.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(cut.TryGetProperty("nextAttempt", out var next) && next.ValueKind != JsonValueKind.Null, "a partial source is not backed off");

        // Admin health shows each source's state for the operator.
        var health = await app.Client.GetFromJsonAsync<JsonElement>("api/admin/health?code=" + RadarApp.FunctionKey, Ct);
        var sources = health.GetProperty("components").GetProperty("sources").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("failed", sources.Single(s => s.GetProperty("id").GetString() == "busy").GetProperty("lastOutcome").GetString());
        var partial = sources.Single(s => s.GetProperty("id").GetString() == "truncated");
        Assert.Equal("partial", partial.GetProperty("state").GetString());
        Assert.Equal("partial", partial.GetProperty("lastOutcome").GetString());
        Assert.Contains($"line {expectedLine}, column {column}", partial.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal("degraded", health.GetProperty("components").GetProperty("sources").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_hanging_source_does_not_hold_up_the_others()
    {
        await using var server = await SourceServer.StartAsync();
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Map("/hangs.rss", async context => await released.Task.WaitAsync(context.RequestAborted));
        server.MapContent("/quick.rss", Encoding.UTF8.GetBytes(Rss("Schnell", ("Bürgerbüro online buchbar", "https://schnell.example/1"))), "application/rss+xml");
        await using var app = await RadarApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Radar:Sources:0:Id"] = "hangs",
            ["Radar:Sources:0:Url"] = server.Url("hangs.rss"),
            ["Radar:Sources:0:Kind"] = "news",
            ["Radar:Sources:1:Id"] = "quick",
            ["Radar:Sources:1:Url"] = server.Url("quick.rss"),
            ["Radar:Sources:1:Kind"] = "news",
            ["Radar:Fetch:Timeout"] = "00:05:00",
        });

        var run = PostAsync(app, "api/admin/ingest/news");

        // The quick source's item is stored while the first source in the list still hangs (in
        // the tables: the public routes read the snapshot the run publishes when it ends).
        await Eventually.WaitForAsync(
            async () => await app.Services.GetRequiredService<NewsStore>().ListAllAsync(Ct).CountAsync(Ct),
            count => count == 1,
            "the quick source's item to be stored while the other source hangs",
            TimeSpan.FromSeconds(60));
        Assert.False(run.IsCompleted);
        released.SetResult();
        var (status, report) = await run;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ingested", Source(report, "quick").GetProperty("outcome").GetString());
        Assert.Single(await AllNewsAsync(app));
    }

    [Fact]
    public async Task An_edited_item_is_updated_not_duplicated()
    {
        await using var server = await SourceServer.StartAsync();
        var version = Rss("Portal", ("WLAN am Marienplatz", "https://portal.example/wlan"), ("E-Akte kommt", "https://portal.example/eakte"));
        server.Map("/feed.rss", context => context.Response.WriteAsync(version));
        await using var app = await RadarApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Radar:Sources:0:Id"] = "portal",
            ["Radar:Sources:0:Url"] = server.Url("feed.rss"),
            ["Radar:Sources:0:Kind"] = "news",
        });

        var (_, first) = await PostAsync(app, "api/admin/ingest/news");
        version = version.Replace("WLAN am Marienplatz", "WLAN am Marienplatz und am Stachus", StringComparison.Ordinal);
        var (_, second) = await PostAsync(app, "api/admin/ingest/news");
        var items = await AllNewsAsync(app);

        Assert.Equal(2, Source(first, "portal").GetProperty("new").GetInt32());
        Assert.Equal((0, 1, 1), (Source(second, "portal").GetProperty("new").GetInt32(), Source(second, "portal").GetProperty("updated").GetInt32(), Source(second, "portal").GetProperty("unchanged").GetInt32()));
        Assert.Equal(["E-Akte kommt", "WLAN am Marienplatz und am Stachus"], items.Select(i => i.GetProperty("title").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_admin_news_ingest_needs_the_key_and_is_refused_with_409_while_another_run_holds_the_lease()
    {
        await using var app = await RadarApp.StartAsync(azurite);
        var (anonymous, _) = await PostAsync(app, "api/admin/ingest/news", withKey: false);
        var (badForce, _) = await PostAsync(app, "api/admin/ingest/news?force=ja");

        var lease = app.Services.GetRequiredService<IngestLease>();
        (HttpStatusCode Status, JsonElement Body) refused;
        await using (var other = await lease.TryAcquireAsync(NewsIngestService.LeaseKind, Ct))
        {
            Assert.True(other.Acquired);
            refused = await PostAsync(app, "api/admin/ingest/news");
        }

        var (afterwards, _) = await PostAsync(app, "api/admin/ingest/news");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal(HttpStatusCode.BadRequest, badForce);
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("already running", refused.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(refused.Body.GetProperty("holder").GetString()));
        Assert.Equal(HttpStatusCode.OK, afterwards);
    }

    /// <summary>A small RSS 2.0 document; an item with neither title nor link is a broken one.</summary>
    private static string Rss(string title, params (string? Title, string? Link)[] items)
    {
        var builder = new StringBuilder($"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>{title}</title><link>https://feed.example/</link><language>de</language>");
        var day = 1;
        foreach (var (itemTitle, link) in items)
        {
            builder.Append("<item>");
            if (itemTitle is not null)
            {
                builder.Append("<title>").Append(itemTitle).Append("</title>");
            }

            if (link is not null)
            {
                builder.Append("<link>").Append(link).Append("</link>");
            }

            builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"<pubDate>{day++:00} Nov 2026 10:00:00 +0100</pubDate></item>");
        }

        return builder.Append("</channel></rss>").ToString();
    }
}
