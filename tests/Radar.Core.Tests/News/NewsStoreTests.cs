using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Radar.Core.News;
using Radar.Core.Storage;

namespace Radar.Core.Tests.News;

/// <summary>The news tables and the dedupe in front of them: one item per story, listings by
/// source and tag, content too large for one property.</summary>
public class NewsStoreTests(AzuriteFixture azurite)
{
    private static readonly NewsSourceRef Portal = new("stadtportal", "Stadtportal München");
    private static readonly NewsSourceRef Blog = new("blog", "Digitales München");

    private readonly FakeTimeProvider _clock = new(NewsTesting.Now);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private NewsStore CreateStore() => new(
        new RadarStorage(
            StorageConnection.FromConfiguration(
                new ConfigurationBuilder().AddInMemoryCollection([new("Storage", azurite.ConnectionString)]).Build(), "Storage"),
            Options.Create(new RadarOptions { StoragePrefix = AzuriteFixture.NewPrefix() })),
        _clock);

    private static NewsItem Item(string key, string title, int daysAgo, NewsSourceRef? source = null, string[]? tags = null, string? link = null) => new()
    {
        Key = key,
        Title = title,
        Link = link ?? $"https://x.example/{key}",
        Published = NewsTesting.Now.AddDays(-daysAgo),
        PublishedFrom = NewsDateOrigin.Published,
        Summary = $"Zusammenfassung {title}",
        ContentHtml = $"<p>{title}</p>",
        Tags = tags ?? ["WLAN"],
        Language = "de",
        Sources = [source ?? Portal],
    };

    // Items reach the store through the dedupe, as in an ingest run.
    private static Task<NewsUpsertResult> StoreAsync(NewsStore store, NewsItem item) => new CrossSourceDedupe(store).StoreAsync(item, Ct);

    private static async Task<List<string>> TitlesAsync(NewsStore store, string? source = null, string? tag = null) =>
        [.. (await store.ListAsync(new NewsQuery(1, 100, source, tag), Ct)).Items.Select(i => i.Title)];

    private static string Describe(NewsPage page) =>
        string.Join(", ", page.Items.Select(i => i.Title)) + (page.HasMore ? " (more)" : "");

    [Fact]
    public async Task The_same_item_twice_is_stored_once()
    {
        var store = CreateStore();
        var item = Item("a", "Öffentliches WLAN im Olympiapark", 1);

        var first = await StoreAsync(store, item);
        var second = await StoreAsync(store, item);

        Assert.Equal(NewsUpsertOutcome.New, first.Outcome);
        Assert.Equal(NewsUpsertOutcome.Unchanged, second.Outcome);
        Assert.Equal(["Öffentliches WLAN im Olympiapark"], await TitlesAsync(store));
        Assert.Equal(JsonSerializer.Serialize(item), JsonSerializer.Serialize(await store.GetAsync("a", Ct)));
    }

    [Fact]
    public async Task Known_keys_are_read_for_the_months_asked_and_only_of_their_source()
    {
        var store = CreateStore();
        NewsItem At(string key, int monthsAgo, NewsSourceRef source) =>
            Item(key, $"Meldung {key}", 0, source) with { Published = NewsTesting.Now.AddMonths(-monthsAgo) };
        // A feed's year, a gap of two months inside it, and one item from long ago.
        var asked = Enumerable.Range(0, 12).Where(m => m is not (4 or 5)).Select(m => At($"p{m}", m, Portal)).Append(At("p40", 40, Portal)).ToList();
        var notAsked = new[] { At("p24", 24, Portal), At("b3", 3, Blog), At("b40", 40, Blog) };
        foreach (var item in asked.Concat(notAsked))
        {
            await StoreAsync(store, item);
        }

        var partitions = asked.Select(i => NewsTables.KeyPartition(Portal.Id, i.Published)).ToList();
        var known = await store.ReadKeysAsync(partitions, Ct);

        Assert.Equal(asked.Select(i => i.Key).Order(), known.Keys.Order());
        Assert.Equal(2, NewsStore.KeyRanges(partitions).Count); // the year in one query, the old month in another
    }

    [Fact]
    public async Task An_edited_item_is_updated_everywhere_not_duplicated()
    {
        var store = CreateStore();
        await StoreAsync(store, Item("a", "WLAN im Olympiapark", 3, tags: ["WLAN", "Olympiapark"]));
        await StoreAsync(store, Item("b", "E-Akte im KVR", 2, tags: ["E-Akte"]));

        var edited = Item("a", "M-WLAN im Olympiapark: 46 Hotspots", 1, tags: ["WLAN", "Hotspot"]) with { ContentHtml = "<p>Neu</p>" };
        var result = await StoreAsync(store, edited);

        Assert.Equal(NewsUpsertOutcome.Updated, result.Outcome);
        Assert.Equal(["M-WLAN im Olympiapark: 46 Hotspots", "E-Akte im KVR"], await TitlesAsync(store)); // moved to the top by its new date
        Assert.Equal(["M-WLAN im Olympiapark: 46 Hotspots"], await TitlesAsync(store, tag: "WLAN"));
        Assert.Equal(["M-WLAN im Olympiapark: 46 Hotspots"], await TitlesAsync(store, tag: "hotspot"));
        Assert.Empty(await TitlesAsync(store, tag: "Olympiapark"));
        Assert.Equal(2, (await TitlesAsync(store, source: Portal.Id)).Count);
        Assert.Equal("<p>Neu</p>", (await store.GetAsync("a", Ct))!.ContentHtml);
        Assert.Equal(NewsUpsertOutcome.Unchanged, (await StoreAsync(store, edited)).Outcome);
    }

    [Fact]
    public async Task The_same_story_from_two_sources_is_one_item_naming_both()
    {
        var store = CreateStore();
        var fromPortal = Item("portal-1", "E-Akte im KVR", 2, Portal, ["E-Akte"], "https://stadt.example/e-akte");
        var fromBlog = Item("blog-9", "Elektronische Akte: KVR papierlos", 1, Blog, ["Stadtverwaltung"], "https://stadt.example/e-akte");

        await StoreAsync(store, fromPortal);
        var merged = await StoreAsync(store, fromBlog);
        var again = await StoreAsync(store, fromBlog);
        var portalAgain = await StoreAsync(store, fromPortal);

        Assert.Equal(new NewsUpsertResult(NewsUpsertOutcome.Merged, "portal-1"), merged);
        Assert.Equal(NewsUpsertOutcome.Unchanged, again.Outcome);
        Assert.Equal(NewsUpsertOutcome.Unchanged, portalAgain.Outcome);
        var listed = Assert.Single((await store.ListAsync(new NewsQuery(), Ct)).Items);
        Assert.Equal([Portal, Blog], listed.Sources);
        Assert.Equal("E-Akte im KVR", listed.Title);
        Assert.Equal(["E-Akte im KVR"], await TitlesAsync(store, source: Blog.Id));
        Assert.Equal(["E-Akte im KVR"], await TitlesAsync(store, source: Portal.Id));
        Assert.Equal("portal-1", (await store.GetAsync("blog-9", Ct))!.Key);
    }

    [Fact]
    public async Task An_edit_from_the_second_source_updates_the_shared_item()
    {
        var store = CreateStore();
        await StoreAsync(store, Item("portal-1", "E-Akte im KVR", 2, Portal, link: "https://stadt.example/e-akte"));
        await StoreAsync(store, Item("blog-9", "E-Akte im KVR", 2, Blog, link: "https://stadt.example/e-akte"));

        var edited = await StoreAsync(store, Item("blog-9", "E-Akte im KVR: 3.400 Beschäftigte papierlos", 2, Blog, link: "https://stadt.example/e-akte"));
        var portalUnchanged = await StoreAsync(store, Item("portal-1", "E-Akte im KVR", 2, Portal, link: "https://stadt.example/e-akte"));

        Assert.Equal(new NewsUpsertResult(NewsUpsertOutcome.Updated, "portal-1"), edited);
        Assert.Equal(NewsUpsertOutcome.Unchanged, portalUnchanged.Outcome);
        Assert.Equal(["E-Akte im KVR: 3.400 Beschäftigte papierlos"], await TitlesAsync(store));
    }

    [Fact]
    public async Task A_dateless_item_keeps_the_time_it_was_first_seen()
    {
        var store = CreateStore();
        var firstSeen = Item("d", "Ohne Datum", 0) with { PublishedFrom = NewsDateOrigin.FirstSeen, Published = _clock.GetUtcNow() };
        await StoreAsync(store, firstSeen);

        _clock.Advance(TimeSpan.FromDays(2));
        var nextRun = await StoreAsync(store, firstSeen with { Published = _clock.GetUtcNow() });
        var edited = await StoreAsync(store, firstSeen with { Published = _clock.GetUtcNow(), Title = "Ohne Datum, korrigiert" });

        Assert.Equal(NewsUpsertOutcome.Unchanged, nextRun.Outcome);
        Assert.Equal(NewsUpsertOutcome.Updated, edited.Outcome);
        var stored = (await store.GetAsync("d", Ct))!;
        Assert.Equal((NewsTesting.Now, NewsDateOrigin.FirstSeen), (stored.Published, stored.PublishedFrom));
    }

    [Fact]
    public async Task Listing_is_newest_first_and_paged()
    {
        var store = CreateStore();
        foreach (var i in Enumerable.Range(1, 7).OrderBy(_ => Guid.NewGuid()))
        {
            await StoreAsync(store, Item($"k{i}", $"Meldung {i}", daysAgo: i));
        }

        var page1 = await store.ListAsync(new NewsQuery(1, 3), Ct);
        var page2 = await store.ListAsync(new NewsQuery(2, 3), Ct);
        var page3 = await store.ListAsync(new NewsQuery(3, 3), Ct);
        var page4 = await store.ListAsync(new NewsQuery(4, 3), Ct);

        Assert.Equal("Meldung 1, Meldung 2, Meldung 3 (more)", Describe(page1));
        Assert.Equal("Meldung 4, Meldung 5, Meldung 6 (more)", Describe(page2));
        Assert.Equal("Meldung 7", Describe(page3));
        Assert.Equal("", Describe(page4));
    }

    [Fact]
    public async Task Listing_filters_by_source_and_by_tag_folded()
    {
        var store = CreateStore();
        await StoreAsync(store, Item("a", "WLAN am Marienplatz", 1, Portal, ["WLAN", "München"]));
        await StoreAsync(store, Item("b", "E-Akte im KVR", 2, Portal, ["E-Akte"]));
        await StoreAsync(store, Item("c", "Hotspot-Bilanz", 3, Blog, ["wlan"]));
        await StoreAsync(store, Item("d", "Tag mit / und #", 4, Blog, ["A/B #1?"]));

        Assert.Equal(["WLAN am Marienplatz", "Hotspot-Bilanz"], await TitlesAsync(store, tag: "Wlan"));
        Assert.Equal(["WLAN am Marienplatz"], await TitlesAsync(store, tag: "Muenchen"));
        Assert.Equal(["WLAN am Marienplatz", "E-Akte im KVR"], await TitlesAsync(store, source: "stadtportal"));
        Assert.Equal(["Hotspot-Bilanz"], await TitlesAsync(store, source: "blog", tag: "WLAN"));
        Assert.Equal(["Tag mit / und #"], await TitlesAsync(store, tag: "a/b #1?"));
        Assert.Empty(await TitlesAsync(store, source: "unbekannt"));
        Assert.Empty(await TitlesAsync(store, tag: "Unbekannt"));
    }

    [Fact]
    public async Task Paging_with_source_and_tag_together_counts_only_matching_items()
    {
        var store = CreateStore();
        foreach (var i in Enumerable.Range(1, 6))
        {
            await StoreAsync(store, Item($"k{i}", $"Meldung {i}", i, i % 2 == 0 ? Blog : Portal));
        }

        var page2 = await store.ListAsync(new NewsQuery(2, 2, Blog.Id, "WLAN"), Ct);

        Assert.Equal("Meldung 6", Describe(page2));
    }

    [Fact]
    public async Task Large_content_round_trips_through_several_table_properties()
    {
        var store = CreateStore();
        var content = string.Concat(Enumerable.Range(0, 9_000).Select(i => $"<p>Ä{i}😀</p>"));
        Assert.True(content.Length > 90_000);

        await StoreAsync(store, Item("big", "Groß", 1) with { ContentHtml = content });

        Assert.Equal(content, (await store.GetAsync("big", Ct))!.ContentHtml);
    }
}
