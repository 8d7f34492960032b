using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.WebSub;

namespace Radar.Functions.Tests.WebSub;

/// <summary>
/// Radar as a WebSub hub, end to end: a subscriber on loopback (allowance on) subscribes over
/// HTTP, echoes the verification, and receives what a news ingest adds to its topic — signed,
/// once, retried when it fails, never when it is not verified or has unsubscribed.
/// </summary>
public class WebSubHubTests(AzuriteFixture azurite)
{
    private const string PublicUrl = "https://radar.example/";
    private const string Topic = PublicUrl + "api/feed.json?q=glasfaser&type=news";
    private const string Secret = "geheimnis-der-redaktion";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Rss(params (string Title, string Link, int Day)[] items)
    {
        var builder = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Stadtnachrichten</title><link>https://feed.example/</link><language>de</language>");
        foreach (var (title, link, day) in items)
        {
            builder.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"<item><title>{title}</title><link>{link}</link><description>{title}.</description><pubDate>{day:00} Nov 2026 10:00:00 +0100</pubDate></item>");
        }

        return builder.Append("</channel></rss>").ToString();
    }

    private static async Task<(RadarApp App, SourceServer Feed)> StartAsync(AzuriteFixture azurite, bool publicUrl = true, bool allowPrivate = true, int requestsPerMinute = 30)
    {
        var feed = await SourceServer.StartAsync();
        Publish(feed, ("Neue E-Akte im Rathaus", "https://feed.example/e-akte", 1), ("Glasfaser für alle Schulen", "https://feed.example/glasfaser-schulen", 2));
        var settings = new Dictionary<string, string?>
        {
            ["Radar:Http:CacheSeconds"] = "0",
            ["Radar:Sources:0:Id"] = "stadtnachrichten",
            ["Radar:Sources:0:Url"] = feed.Url("/news.rss"),
            ["Radar:Sources:0:Kind"] = "news",
            ["Radar:Fetch:AllowPrivateNetworks"] = allowPrivate ? "true" : "false",
            ["Radar:WebSub:RetryDelay"] = "00:00:01",
            ["Radar:WebSub:RequestsPerMinute"] = requestsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (publicUrl)
        {
            settings["Radar:PublicUrl"] = PublicUrl;
        }

        var app = await RadarApp.StartAsync(azurite, settings);
        return (app, feed);
    }

    private static void Publish(SourceServer feed, params (string Title, string Link, int Day)[] items) =>
        feed.MapContent("/news.rss", Encoding.UTF8.GetBytes(Rss(items)), "application/rss+xml; charset=utf-8");

    private static async Task IngestNewsAsync(RadarApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/ingest/news?force=true");
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await app.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task<HttpResponseMessage> HubAsync(RadarApp app, params (string Name, string Value)[] fields) =>
        app.Client.PostAsync("api/websub", new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))), Ct);

    private static async Task<JsonElement> SubscriptionsAsync(RadarApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/admin/websub?topic=" + Uri.EscapeDataString(Topic));
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await app.Client.SendAsync(request, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("subscriptions");
    }

    /// <summary>Every queued verification and delivery has been done (the queue is empty, messages in flight included).</summary>
    private static async Task QueueDrainedAsync(RadarApp app) =>
        await Eventually.WaitForAsync(() => app.Services.GetRequiredService<HubQueue>().LengthAsync(Ct), n => n == 0, "the hub's queue to be empty");

    private static async Task SubscribeAsync(RadarApp app, Subscriber subscriber, string mode = "subscribe", string? secret = Secret)
    {
        var fields = new List<(string, string)> { ("hub.mode", mode), ("hub.topic", Topic), ("hub.callback", subscriber.Callback) };
        if (secret is not null)
        {
            fields.Add(("hub.secret", secret));
        }

        using var response = await HubAsync(app, [.. fields]);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_verified_subscriber_gets_the_new_entry_once_signed_and_nothing_after_unsubscribing()
    {
        var (app, feed) = await StartAsync(azurite);
        await using var _ = app;
        await using var __ = feed;
        await using var subscriber = await Subscriber.StartAsync();
        await IngestNewsAsync(app);

        // A spelling of the topic with its parameters in another order is the same topic.
        await SubscribeAsync(app, subscriber);
        var verification = await Eventually.WaitForAsync(() => Task.FromResult(subscriber.Gets), g => g.Count == 1, "the verification of intent");
        Assert.Equal("subscribe", verification[0].Query["hub.mode"]);
        Assert.Equal(PublicUrl + "api/feed.json?q=glasfaser&type=news", verification[0].Query["hub.topic"]);
        Assert.Equal("1", verification[0].Query["subscriber"]);
        Assert.True(int.Parse(verification[0].Query["hub.lease_seconds"]!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        var active = await Eventually.WaitForAsync(() => SubscriptionsAsync(app), s => s.GetArrayLength() == 1, "the subscription to be active");
        Assert.Equal("active", active[0].GetProperty("state").GetString());

        Publish(feed, ("Neue E-Akte im Rathaus", "https://feed.example/e-akte", 1), ("Glasfaser für alle Schulen", "https://feed.example/glasfaser-schulen", 2),
            ("Glasfaser erreicht das Rathaus", "https://feed.example/glasfaser-rathaus", 3), ("Parkausweis online", "https://feed.example/parken", 4));
        await IngestNewsAsync(app);
        var posts = await Eventually.WaitForAsync(() => Task.FromResult(subscriber.Posts), p => p.Count >= 1, "the delivery");
        await QueueDrainedAsync(app);
        posts = subscriber.Posts;
        var post = Assert.Single(posts);

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), post.Body));
        Assert.Equal(expected, post.Headers["X-Hub-Signature"].ToString());
        Assert.StartsWith("application/feed+json", post.Headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.Contains("<https://radar.example/api/websub>; rel=\"hub\"", post.Headers["Link"].ToString(), StringComparison.Ordinal);
        Assert.Contains("<" + Topic + ">; rel=\"self\"", post.Headers["Link"].ToString(), StringComparison.Ordinal);
        var items = JsonDocument.Parse(post.Body).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()).ToList();
        Assert.Equal(["Glasfaser erreicht das Rathaus"], items);

        await SubscribeAsync(app, subscriber, "unsubscribe", secret: null);
        await Eventually.WaitForAsync(() => SubscriptionsAsync(app), s => s.GetArrayLength() == 0, "the unsubscription to be verified");
        Assert.Equal("unsubscribe", subscriber.Gets[^1].Query["hub.mode"]);
        Publish(feed, ("Glasfaser erreicht das Rathaus", "https://feed.example/glasfaser-rathaus", 3), ("Glasfaser im Westend", "https://feed.example/glasfaser-westend", 5));
        await IngestNewsAsync(app);
        await QueueDrainedAsync(app);
        Assert.Single(subscriber.Posts);
    }

    [Fact]
    public async Task A_subscriber_that_fails_twice_gets_the_entry_exactly_once_and_an_unverified_one_gets_nothing_but_the_verification()
    {
        var (app, feed) = await StartAsync(azurite);
        await using var _ = app;
        await using var __ = feed;
        await using var failing = await Subscriber.StartAsync();
        await using var unverified = await Subscriber.StartAsync();
        unverified.Echoes = false;
        await IngestNewsAsync(app);
        failing.AnswerDeliveriesWith(500, 500);

        await SubscribeAsync(app, failing, secret: null);
        await SubscribeAsync(app, unverified);
        await Eventually.WaitForAsync(() => SubscriptionsAsync(app), s => s.GetArrayLength() == 1, "one subscription to be active");
        await QueueDrainedAsync(app);
        Assert.Single(unverified.Gets);

        Publish(feed, ("Glasfaser erreicht das Rathaus", "https://feed.example/glasfaser-rathaus", 3));
        await IngestNewsAsync(app);
        await Eventually.WaitForAsync(() => Task.FromResult(failing.Posts), p => p.Count >= 3, "two failed deliveries and a third that succeeds", TimeSpan.FromSeconds(60));
        await QueueDrainedAsync(app);

        Assert.Equal(3, failing.Posts.Count);
        Assert.All(failing.Posts, p => Assert.Contains("Glasfaser erreicht das Rathaus", p.Text, StringComparison.Ordinal));
        Assert.All(failing.Posts, p => Assert.False(p.Headers.ContainsKey("X-Hub-Signature")));
        var subscription = Assert.Single((await SubscriptionsAsync(app)).EnumerateArray());
        Assert.Equal("active", subscription.GetProperty("state").GetString());
        Assert.Equal(200, subscription.GetProperty("lastStatus").GetInt32());

        // The next ingest brings nothing new: nothing is sent again.
        await IngestNewsAsync(app);
        await QueueDrainedAsync(app);
        Assert.Equal(3, failing.Posts.Count);
        Assert.Empty(unverified.Posts);
        Assert.Single(unverified.Received);
    }

    [Fact]
    public async Task Feeds_name_the_hub_and_their_canonical_self_in_the_document_and_in_Link_headers()
    {
        var (app, feed) = await StartAsync(azurite);
        await using var _ = app;
        await using var __ = feed;
        await IngestNewsAsync(app);
        foreach (var (path, hubInBody) in new[]
        {
            ("api/feed.rss", "<a10:link rel=\"hub\" href=\"https://radar.example/api/websub\""),
            ("api/feed.atom", "<link rel=\"hub\" href=\"https://radar.example/api/websub\""),
            ("api/feed.json", "\"hubs\":[{\"type\":\"WebSub\",\"url\":\"https://radar.example/api/websub\"}]"),
        })
        {
            using var response = await app.Client.GetAsync(path + "?type=news&q=glasfaser", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var links = response.Headers.GetValues("Link").ToList();
            Assert.Contains("<https://radar.example/api/websub>; rel=\"hub\"", links);
            Assert.Contains($"<https://radar.example/{path}?q=glasfaser&type=news>; rel=\"self\"", links);
            Assert.Contains(hubInBody, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using var changes = await app.Client.GetAsync("api/changes", Ct);
        Assert.False(changes.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Without_a_public_URL_the_hub_is_off_and_feeds_name_no_hub()
    {
        var (app, feed) = await StartAsync(azurite, publicUrl: false);
        await using var _ = app;
        await using var __ = feed;
        using var rss = await app.Client.GetAsync("api/feed.rss", Ct);
        Assert.False(rss.Headers.Contains("Link"));
        Assert.DoesNotContain("rel=\"hub\"", await rss.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var hub = await HubAsync(app, ("hub.mode", "subscribe"), ("hub.topic", Topic), ("hub.callback", "https://subscriber.example/cb"));
        Assert.Equal(HttpStatusCode.NotFound, hub.StatusCode);
    }

    [Fact]
    public async Task Bad_hub_requests_are_400_problems_naming_the_field_and_other_bodies_415()
    {
        var (app, feed) = await StartAsync(azurite, allowPrivate: false);
        await using var _ = app;
        await using var __ = feed;
        const string callback = "https://subscriber.example/cb";
        var cases = new (string Field, (string, string)[] Form)[]
        {
            ("hub.mode", [("hub.mode", "follow"), ("hub.topic", Topic), ("hub.callback", callback)]),
            ("hub.topic", [("hub.mode", "subscribe"), ("hub.topic", "https://elsewhere.example/feed.rss"), ("hub.callback", callback)]),
            ("hub.topic", [("hub.mode", "subscribe"), ("hub.topic", PublicUrl + "api/changes"), ("hub.callback", callback)]),
            ("hub.topic", [("hub.mode", "subscribe"), ("hub.topic", PublicUrl + "api/feed.rss?limit=zehn"), ("hub.callback", callback)]),
            ("hub.callback", [("hub.mode", "subscribe"), ("hub.topic", Topic), ("hub.callback", "ftp://subscriber.example/cb")]),
            ("hub.callback", [("hub.mode", "subscribe"), ("hub.topic", Topic), ("hub.callback", "http://127.0.0.1:9/cb")]),
            ("hub.callback", [("hub.mode", "subscribe"), ("hub.topic", Topic), ("hub.callback", "http://10.1.2.3/cb")]),
            ("hub.secret", [("hub.mode", "subscribe"), ("hub.topic", Topic), ("hub.callback", callback), ("hub.secret", new string('s', 200))]),
            ("hub.lease_seconds", [("hub.mode", "subscribe"), ("hub.topic", Topic), ("hub.callback", callback), ("hub.lease_seconds", "-5")]),
        };
        foreach (var (field, form) in cases)
        {
            using var response = await HubAsync(app, form);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("parameter").GetString());
        }

        using var json = await app.Client.PostAsync("api/websub", JsonContent.Create(new { mode = "subscribe" }), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Equal(0, await app.Services.GetRequiredService<HubQueue>().LengthAsync(Ct));
    }

    [Fact]
    public async Task An_operator_removal_tells_the_subscriber_denied_and_a_flood_of_requests_is_429()
    {
        var (app, feed) = await StartAsync(azurite, requestsPerMinute: 3);
        await using var _ = app;
        await using var __ = feed;
        await using var subscriber = await Subscriber.StartAsync();
        await SubscribeAsync(app, subscriber);
        var subscription = await Eventually.WaitForAsync(() => SubscriptionsAsync(app), s => s.GetArrayLength() == 1, "the subscription to be active");

        using (var remove = new HttpRequestMessage(HttpMethod.Delete, "api/admin/websub/" + subscription[0].GetProperty("id").GetString()))
        {
            remove.Headers.Add("x-functions-key", RadarApp.FunctionKey);
            using var removed = await app.Client.SendAsync(remove, Ct);
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        var denied = await Eventually.WaitForAsync(() => Task.FromResult(subscriber.Gets), g => g.Count == 2, "the denial");
        Assert.Equal("denied", denied[1].Query["hub.mode"]);
        Assert.Equal(Topic, denied[1].Query["hub.topic"]);
        Assert.Equal(0, (await SubscriptionsAsync(app)).GetArrayLength());

        // Three requests a minute from one client: the next ones are refused until the minute has passed.
        await SubscribeAsync(app, subscriber);
        await SubscribeAsync(app, subscriber, "unsubscribe", secret: null);
        using var flood = await HubAsync(app, ("hub.mode", "subscribe"), ("hub.topic", Topic), ("hub.callback", subscriber.Callback));
        Assert.Equal(HttpStatusCode.TooManyRequests, flood.StatusCode);
        Assert.NotNull(flood.Headers.RetryAfter);
        Assert.Equal("hub.callback", (await flood.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors")[0].GetProperty("parameter").GetString());
    }
}
