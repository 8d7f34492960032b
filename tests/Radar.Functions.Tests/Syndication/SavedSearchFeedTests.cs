using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Radar.Core;
using Radar.Core.Ingest;
using Radar.Core.News;
using Radar.Core.Search.Replication;
using Radar.Core.Storage;

namespace Radar.Functions.Tests.Syndication;

/// <summary>
/// A feed URL with <c>q</c> is a saved search answered by this instance's replica of the search
/// index: the Munich sample ingested (the ingest feeds the index), news written to the store and
/// indexed by a reindex, then <c>feed.rss?q=wlan</c> read by feedparser.
/// </summary>
public class SavedSearchFeedTests(AzuriteFixture azurite)
{
    private const string Self = FeedSite.PublicUrl + "/api/feed.rss?q=wlan";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Feed_rss_with_q_is_a_saved_search_of_exactly_that_answered_by_the_index()
    {
        var file = FeedSite.CopySample();
        await using var app = await RadarApp.StartAsync(azurite, FeedSite.Settings(file));
        await FeedSite.IngestAsync(app);
        var store = app.Services.GetRequiredService<CrossSourceDedupe>();
        await store.StoreAsync(News("wlan-hotspots", "M-WLAN: 46 neue Hotspots am Marienplatz", ["WLAN"], ["oeffentliches-wlan"]), Ct);
        await store.StoreAsync(News("e-akte-kvr", "E-Akte im Kreisverwaltungsreferat eingeführt", ["E-Akte"], ["elektronische-akte"]), Ct);
        await ReindexAsync(app);

        var (response, body) = await Eventually.WaitForAsync(
            () => GetAsync(app, "api/feed.rss?q=wlan"),
            got => got.Response.StatusCode == HttpStatusCode.OK && got.Body.Contains("wlan-hotspots", StringComparison.Ordinal),
            "the replica to load the reindexed commit with the WLAN news");
        var feed = await IndependentClients.FeedparserAsync(System.Text.Encoding.UTF8.GetBytes(body));
        var entries = feed["entries"]!.AsArray();
        var search = await app.Client.GetFromJsonAsync<JsonElement>("api/search?q=wlan&type=change,news&sort=date&pageSize=100", Ct);
        var found = search.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()).ToList();

        Assert.False((bool)feed["bozo"]!, (string?)feed["bozo_exception"]);
        Assert.Equal("Digitalisierungsradar München – Änderungen zu „wlan“", (string?)feed["title"]);
        Assert.Contains(feed["links"]!.AsArray(), l => (string?)l!["rel"] == "self" && (string?)l["href"] == Self);
        Assert.Contains(entries, e => (string?)e!["id"] == "muenchen:oeffentliches-wlan:2024");
        Assert.Contains(entries, e => (string?)e!["id"] == "wlan-hotspots");
        Assert.DoesNotContain(entries, e => ((string?)e!["id"])!.Contains("akte", StringComparison.Ordinal));
        // Exactly what the same search finds among changes and news (fewer than a feed's 20 entries).
        Assert.InRange(found.Count, 2, Radar.Core.Syndication.FeedRequest.DefaultLimit - 1);
        Assert.True(found.Order(StringComparer.Ordinal).SequenceEqual(entries.Select(e => (string?)e!["id"]).Order(StringComparer.Ordinal)), search.ToString() + "\n" + body);
        var dates = entries.Select(e => (long)e!["published"]!).ToList();
        Assert.Equal(dates.OrderDescending(), dates);

        // The same saved search as Atom: valid, with its page (the search page) as alternate.
        var (_, atomBody) = await GetAsync(app, "api/feed.atom?q=wlan");
        var atomBytes = System.Text.Encoding.UTF8.GetBytes(atomBody);
        var (exit, messages) = await IndependentClients.JingAsync(atomBytes);
        var atom = await IndependentClients.FeedparserAsync(atomBytes);
        Assert.True(exit == 0 && messages.Length == 0, $"jing: {messages}");
        Assert.Contains(atom["links"]!.AsArray(), l => (string?)l!["rel"] == "alternate" && (string?)l["href"] == FeedSite.PublicUrl + "/suche?q=wlan");
        Assert.Contains(atom["links"]!.AsArray(), l => (string?)l!["rel"] == "self" && (string?)l["href"] == FeedSite.PublicUrl + "/api/feed.atom?q=wlan");

        // The answer depends on the URL alone (format in the path, base from Radar__PublicUrl), so
        // no Vary: another site's widget asking in another way gets the same bytes.
        using (var widget = new HttpRequestMessage(HttpMethod.Get, "api/feed.rss?q=wlan"))
        {
            widget.Headers.Add("Origin", "https://zeitung.example");
            widget.Headers.Add("Accept", "application/xml");
            widget.Headers.Add("Accept-Language", "en");
            using var answer = await app.Client.SendAsync(widget, Ct);
            Assert.Equal(response.Headers.ETag, answer.Headers.ETag);
            Assert.Empty(answer.Headers.Vary);
        }

        // The subscriber's next poll: nothing new, nothing sent.
        using (var again = new HttpRequestMessage(HttpMethod.Get, "api/feed.rss?q=wlan"))
        {
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using var notModified = await app.Client.SendAsync(again, Ct);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        // Filters narrow the saved search; one that leaves nothing is still a valid, empty feed.
        var (_, infrastructure) = await GetAsync(app, "api/feed.rss?q=wlan&area=infrastruktur");
        var narrowed = await IndependentClients.FeedparserAsync(System.Text.Encoding.UTF8.GetBytes(infrastructure));
        Assert.Equal("Digitalisierungsradar München – Änderungen zu „wlan“ in Infrastruktur", (string?)narrowed["title"]);
        Assert.Equal(entries.Select(e => (string?)e!["id"]), narrowed["entries"]!.AsArray().Select(e => (string?)e!["id"]));
        var (_, administration) = await GetAsync(app, "api/feed.rss?q=wlan&area=stadtverwaltung");
        var none = await IndependentClients.FeedparserAsync(System.Text.Encoding.UTF8.GetBytes(administration));
        Assert.False((bool)none["bozo"]!, (string?)none["bozo_exception"]);
        Assert.Empty(none["entries"]!.AsArray());

        // The measure's page data lists the related news the index found.
        var detail = await app.Client.GetFromJsonAsync<JsonElement>("api/measures/oeffentliches-wlan", Ct);
        Assert.Equal(["wlan-hotspots"], detail.GetProperty("relatedNews").EnumerateArray().Select(n => n.GetProperty("id").GetString()));

        // New data behind the saved search: the old ETag gets the new feed.
        await FeedSite.EditAsync(file, ms => ms.Single(m => (string?)m!["id"] == "oeffentliches-wlan")!["status"] = "umgesetzt");
        await FeedSite.IngestAsync(app);
        var changed = await Eventually.WaitForAsync(
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "api/feed.rss?q=wlan");
                request.Headers.IfNoneMatch.Add(response.Headers.ETag!);
                using var answer = await app.Client.SendAsync(request, Ct);
                return (answer.StatusCode, answer.Headers.ETag, Body: await answer.Content.ReadAsStringAsync(Ct));
            },
            got => got.StatusCode == HttpStatusCode.OK,
            "the new commit to reach the saved search");
        Assert.NotEqual(response.Headers.ETag, changed.ETag);
        var updated = await IndependentClients.FeedparserAsync(System.Text.Encoding.UTF8.GetBytes(changed.Body));
        Assert.Equal("Öffentliches WLAN „M-WLAN“: Status von „In Umsetzung“ zu „Umgesetzt“", (string?)updated["entries"]![0]!["title"]);
        Assert.Equal(await FeedSite.NewestChangeIdAsync(app, "oeffentliches-wlan"), (string?)updated["entries"]![0]!["id"]);

        // Guids are stable: what a reader has seen keeps its id, so it is not shown again as new.
        var before = entries.Select(e => ((string?)e!["id"], (string?)e["title"])).ToList();
        Assert.All(before, seen => Assert.Contains(seen, updated["entries"]!.AsArray().Select(e => ((string?)e!["id"], (string?)e["title"]))));
    }

    [Fact]
    public async Task Without_a_loaded_snapshot_feeds_search_and_the_radar_are_a_503_with_Retry_After_until_one_is_loaded()
    {
        // Another writer holds the index lease, so this instance's replica can neither find a
        // snapshot nor build one.
        var prefix = AzuriteFixture.NewPrefix();
        var lease = new IngestLease(
            new RadarStorage(
                StorageConnection.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection([new("Storage", azurite.ConnectionString)]).Build(), "Storage"),
                Options.Create(new RadarOptions { StoragePrefix = prefix })),
            TimeProvider.System,
            Options.Create(new IngestLeaseOptions { Owner = "another writer", Duration = TimeSpan.FromSeconds(15) }),
            NullLogger<IngestLease>.Instance);
        var held = await lease.TryAcquireAsync(IndexUpdater.LeaseKind, Ct);
        Assert.True(held.Acquired);
        var settings = FeedSite.Settings(FeedSite.CopySample());
        settings["Radar:Search:LeaseWait"] = "00:00:00.5";
        settings["Radar:Search:RefreshInterval"] = "00:00:00.2";
        settings["Radar:Http:FirstLoadWaitSeconds"] = "0.2";
        await using var app = await RadarApp.StartAsync(azurite, settings, storagePrefix: prefix, waitForSnapshot: false);

        try
        {
            // Every public read is the snapshot's: without one, feeds with q or without, the radar
            // and the news too (rather than some from storage and some not).
            foreach (var url in new[] { "api/feed.rss?q=wlan", "api/feed.atom?q=wlan", "api/changes?q=wlan", "api/search?q=wlan", "api/suggest?q=wl", "api/feed.rss", "api/changes", "api/radar", "api/news" })
            {
                using var unavailable = await app.Client.GetAsync(url, Ct);
                var problem = await unavailable.Content.ReadFromJsonAsync<JsonElement>(Ct);
                Assert.True(unavailable.StatusCode == HttpStatusCode.ServiceUnavailable, $"{url}: {(int)unavailable.StatusCode}");
                Assert.Equal("application/problem+json", unavailable.Content.Headers.ContentType?.MediaType);
                Assert.True(unavailable.Headers.RetryAfter?.Delta > TimeSpan.Zero, url);
                Assert.True(unavailable.Headers.CacheControl?.NoStore, url);
                Assert.Equal("*", unavailable.Headers.GetValues("Access-Control-Allow-Origin").Single());
                Assert.Contains("snapshot", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            await held.DisposeAsync();
        }

        // Once the writer is gone the replica builds the index, and the same URL answers.
        await Eventually.WaitForAsync(
            async () => (await GetAsync(app, "api/feed.rss?q=wlan")).Response.StatusCode,
            status => status == HttpStatusCode.OK,
            "the replica to load an index after the lease was released",
            TimeSpan.FromSeconds(60));
        using var plain = await app.Client.GetAsync("api/feed.rss", Ct);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    [Fact]
    public async Task Radar_answer_carries_labels_and_a_distinct_colour_per_status_for_widgets()
    {
        await using var app = await RadarApp.StartAsync(azurite, FeedSite.Settings(FeedSite.CopySample()));
        await FeedSite.IngestAsync(app);

        var radar = await app.Client.GetFromJsonAsync<JsonElement>("api/radar", Ct);
        var statuses = radar.GetProperty("radar").GetProperty("statuses").EnumerateArray().ToList();
        var colours = statuses.Select(s => s.GetProperty("color").GetString()!).ToList();

        Assert.Equal(["Umgesetzt", "In Umsetzung", "In Planung", "Idee"], statuses.Select(s => s.GetProperty("label").GetString()));
        Assert.All(colours, c => Assert.Matches("^#[0-9a-f]{6}$", c));
        Assert.Equal(colours.Count, colours.Distinct().Count());
        // Only the 2024 edition is imported here: nothing is new against it (a first import is
        // never "everything is new").
        Assert.All(radar.GetProperty("measures").EnumerateArray(), m => Assert.False(m.GetProperty("new").GetBoolean()));
        Assert.Equal(0, radar.GetProperty("totals").GetProperty("new").GetInt32());
        Assert.Equal("2024", radar.GetProperty("window").GetProperty("edition").GetString());
    }

    private static async Task<(HttpResponseMessage Response, string Body)> GetAsync(RadarApp app, string url)
    {
        var response = await app.Client.GetAsync(url, Ct);
        return (response, await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task ReindexAsync(RadarApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/reindex");
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await app.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static NewsItem News(string key, string title, string[] tags, string[] related) => new()
    {
        Key = key,
        Title = title,
        Link = $"https://news.example/{key}",
        Published = DateTimeOffset.UtcNow,
        Summary = $"Kurz: {title}",
        ContentHtml = $"<p>{title}</p>",
        Tags = tags,
        Language = "de",
        Sources = [FeedSite.Portal],
        RelatedMeasures = related,
    };
}
