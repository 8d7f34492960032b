using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.WebSub;
using Radar.Testing;

namespace Radar.Benchmarks;

/// <summary>
/// The WebSub hub's fan-out: one topic with N subscribers on loopback (one Kestrel, a callback
/// per subscriber), Radar under the local runner on a real Azurite. Measures the time from the
/// end of the news ingest that adds a matching item to the last delivery, and deliveries per
/// second. Not a test: a run prints figures for docs/performance.md.
/// </summary>
internal static class WebSubFanOut
{
    private const string PublicUrl = "https://radar.example/";
    private const string Topic = PublicUrl + "api/feed.json?q=glasfaser&type=news";

    public static async Task<string> RunAsync(int subscribers)
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            await using var feed = await SourceServer.StartAsync();
            Publish(feed, ("Glasfaser für alle Schulen", 2));
            await using var callbacks = await SourceServer.StartAsync();
            var deliveries = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            var verified = 0;
            callbacks.Map("/callback", async context =>
            {
                if (HttpMethods.IsGet(context.Request.Method))
                {
                    Interlocked.Increment(ref verified);
                    await context.Response.WriteAsync(context.Request.Query["hub.challenge"].ToString());
                    return;
                }

                await context.Request.Body.CopyToAsync(Stream.Null);
                deliveries[context.Request.Query["n"].ToString()] = Stopwatch.GetTimestamp();
            });

            await using var app = await RadarApp.StartAsync(azurite, new Dictionary<string, string?>
            {
                ["Radar:PublicUrl"] = PublicUrl,
                ["Radar:Http:CacheSeconds"] = "0",
                ["Radar:Sources:0:Id"] = "stadtnachrichten",
                ["Radar:Sources:0:Url"] = feed.Url("/news.rss"),
                ["Radar:Sources:0:Kind"] = "news",
                ["Radar:Fetch:AllowPrivateNetworks"] = "true",
                ["Radar:WebSub:MaxPerCallbackHost"] = (subscribers * 2).ToString(CultureInfo.InvariantCulture),
                ["Radar:WebSub:MaxPerTopic"] = (subscribers * 2).ToString(CultureInfo.InvariantCulture),
                ["Radar:WebSub:RequestsPerMinute"] = (subscribers * 2).ToString(CultureInfo.InvariantCulture),
                ["Logging:LogLevel:Default"] = "Error",
            });
            await IngestAsync(app);

            var subscribing = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, subscribers), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                using var response = await app.Client.PostAsync("api/websub", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["hub.mode"] = "subscribe",
                    ["hub.topic"] = Topic,
                    ["hub.callback"] = callbacks.Url($"/callback?n={i}"),
                    ["hub.secret"] = "geheim",
                }), ct);
                response.EnsureSuccessStatusCode();
            });
            var queue = app.Services.GetRequiredService<HubQueue>();
            await Eventually.WaitForAsync(() => queue.LengthAsync(CancellationToken.None), n => n == 0, "the verifications", TimeSpan.FromMinutes(10));
            var subscribed = subscribing.Elapsed;

            Publish(feed, ("Glasfaser für alle Schulen", 2), ("Glasfaser erreicht das Rathaus", 3));
            var ingestStart = Stopwatch.GetTimestamp();
            await IngestAsync(app);
            var ingestEnd = Stopwatch.GetTimestamp();
            await Eventually.WaitForAsync(() => Task.FromResult(deliveries.Count), n => n >= subscribers, "every delivery", TimeSpan.FromMinutes(10));
            var last = deliveries.Values.Max();
            var first = deliveries.Values.Min();
            var toLast = Stopwatch.GetElapsedTime(ingestEnd, last);
            var ingest = Stopwatch.GetElapsedTime(ingestStart, ingestEnd);
            var spread = Stopwatch.GetElapsedTime(first, last);

            return string.Create(CultureInfo.InvariantCulture, $"""
                | subscribers | verified | subscribe + verify all | news ingest (incl. fan-out) | ingest start → first delivery | ingest end → last delivery | deliveries/s (first → last) |
                |---:|---:|---:|---:|---:|---:|---:|
                | {subscribers} | {verified} | {subscribed.TotalSeconds:0.0} s | {ingest.TotalSeconds:0.00} s | {Stopwatch.GetElapsedTime(ingestStart, first).TotalSeconds:0.00} s | {toLast.TotalSeconds:0.00} s | {subscribers / Math.Max(spread.TotalSeconds, 0.001):0} |

                (first → last delivery: {spread.TotalSeconds:0.00} s; deliveries begin while the ingest still runs, as its fan-out queues them)
                """);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static void Publish(SourceServer feed, params (string Title, int Day)[] items)
    {
        var builder = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Stadtnachrichten</title><link>https://feed.example/</link>");
        foreach (var (title, day) in items)
        {
            builder.Append(CultureInfo.InvariantCulture, $"<item><title>{title}</title><link>https://feed.example/{day}</link><pubDate>{day:00} Nov 2026 10:00:00 +0100</pubDate></item>");
        }

        feed.MapContent("/news.rss", Encoding.UTF8.GetBytes(builder.Append("</channel></rss>").ToString()), "application/rss+xml; charset=utf-8");
    }

    private static async Task IngestAsync(RadarApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/ingest/news?force=true");
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await app.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
