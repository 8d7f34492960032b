using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Radar.Core.Ingest;
using Radar.Core.News;
using Radar.Core.Storage;

namespace Radar.Core.Tests.News;

/// <summary>
/// A deployment of the previous version has its news in the first layout (<c>News</c>: a
/// partition per item and alias; <c>NewsLinks</c>: a partition per link). The first start of
/// this version moves it into the batched layout: readers, listings and the dedupe go on as if
/// nothing had happened, and a migration cut short is simply run again.
/// </summary>
public class NewsLayoutMigrationTests(AzuriteFixture azurite)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task News_stored_in_the_first_layout_is_migrated_once_and_reads_lists_and_dedupes_as_before_even_after_a_migration_cut_short()
    {
        var clock = new FakeTimeProvider(NewsTesting.Now);
        await using var harness = await NewsHarness.StartAsync(azurite, clock, Ct);
        var storage = harness.Services.GetRequiredService<RadarStorage>();
        var (items, aliases) = await WriteFirstLayoutAsync(harness, storage);
        Assert.NotEmpty(aliases); // the samples carry one story twice

        // Before the migration the store reads the old rows.
        var listedBefore = await ListAllAsync(harness.Store);
        Assert.Equal(items.Count, listedBefore.Count);
        Assert.Equal(items[0].Title, (await harness.Store.GetAsync(items[0].Key, Ct))?.Title);

        var migration = new NewsLayoutMigration(
            storage, harness.Store, harness.Services.GetRequiredService<IngestLease>(), clock, NullLogger<NewsLayoutMigration>.Instance);

        // Cut short after its first batch: the old tables stay, and reading still works.
        await Assert.ThrowsAsync<IOException>(() => migration.MigrateAsync(Ct, (_, _) => throw new IOException("the instance went away")));
        Assert.True(await NewsStore.TableExistsAsync(storage, "News", Ct));
        foreach (var item in items)
        {
            Assert.NotNull(await harness.Store.GetAsync(item.Key, Ct));
        }

        // The next start migrates it all; once done, a second start has nothing to do.
        Assert.True(await migration.EnsureAsync(Ct));
        Assert.True(await migration.EnsureAsync(Ct));
        Assert.False(await NewsStore.TableExistsAsync(storage, "News", Ct));
        Assert.False(await NewsStore.TableExistsAsync(storage, "NewsLinks", Ct));

        // Every item and every alias key reads its story; the listings are what they were.
        foreach (var item in items)
        {
            var read = await harness.Store.GetAsync(item.Key, Ct);
            Assert.Equal(item.Title, read?.Title);
            Assert.Equal(item.ContentHtml, read?.ContentHtml);
            Assert.Equal(item.Sources, read?.Sources);
        }

        foreach (var (alias, target) in aliases)
        {
            Assert.Equal(target, (await harness.Store.GetAsync(alias, Ct))?.Key);
        }

        Assert.Equal(listedBefore, await ListAllAsync(harness.Store));

        // The same feeds again: every item unchanged, nothing stored twice.
        foreach (var (file, source) in NewsTesting.Samples)
        {
            var report = await harness.Importer.ImportAsync(source, NewsTesting.SamplePayload(file), Ct);
            Assert.Equal((0, 0, 0), (report.New, report.Updated, report.Merged));
            Assert.Equal(report.Read - report.Skipped.Count, report.Unchanged);
        }

        // A new source with a story migrated before: merged into it through the migrated link claim.
        var known = items.First(i => i.Link is not null && i.Sources.Count == 1);
        var other = new NewsSourceInfo("neue-quelle", "Neue Quelle");
        var feed = NewsTesting.Rss($"<item><title>{known.Title.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)}</title><link>{known.Link}</link><guid>neu-1</guid></item>");
        var merged = await harness.Importer.ImportAsync(other, new FeedPayload(System.Text.Encoding.UTF8.GetBytes(feed), "application/rss+xml", new Uri("https://neue-quelle.example/feed")), Ct);
        Assert.Equal(1, merged.Merged);
        Assert.Equal([.. known.Sources.Select(s => s.Id), "neue-quelle"], (await harness.Store.GetAsync(known.Key, Ct))!.Sources.Select(s => s.Id));
        Assert.Equal(items.Count, (await ListAllAsync(harness.Store)).Count);
    }

    private static async Task<List<string>> ListAllAsync(NewsStore store) =>
        [.. (await store.ListAsync(new NewsQuery(1, 100, null, null), Ct)).Items.Select(i => $"{i.Key} {i.Title} {string.Join(",", i.Sources.Select(s => s.Id))}")];

    /// <summary>The sample feeds, stored the way the previous version stored them: rows written
    /// here as it wrote them (its <c>NewsStore</c> and <c>CrossSourceDedupe</c>), one story per
    /// canonical link, the later key an alias of the first.</summary>
    private static async Task<(List<NewsItem> Items, List<(string Alias, string Target)> Aliases)> WriteFirstLayoutAsync(NewsHarness harness, RadarStorage storage)
    {
        var parsing = new NewsTesting();
        var finder = harness.Services.GetRequiredService<IRelatedMeasureFinder>();
        var records = await storage.GetTableAsync("News", Ct);
        var links = await storage.GetTableAsync("NewsLinks", Ct);
        var index = await storage.GetTableAsync(NewsStore.IndexTable, Ct);

        var stories = new Dictionary<string, NewsItem>(StringComparer.Ordinal); // link -> item
        var byKey = new Dictionary<string, NewsItem>(StringComparer.Ordinal);
        var aliases = new List<(string, string, string, string)>();
        foreach (var (file, source) in NewsTesting.Samples)
        {
            foreach (var parsed in parsing.ParseSample(file, source).Items)
            {
                var item = parsed with { RelatedMeasures = await finder.FindAsync(parsed, Ct) };
                if (item.Link is { } link && stories.TryGetValue(link, out var story) && story.Key != item.Key)
                {
                    var named = story with { Sources = [.. story.Sources, source.Ref] };
                    stories[link] = byKey[story.Key] = named;
                    aliases.Add((item.Key, story.Key, source.Id, CrossSourceDedupe.Fingerprint(item)));
                    continue;
                }

                byKey[item.Key] = item;
                if (item.Link is { } own)
                {
                    stories[own] = item;
                }
            }
        }

        foreach (var item in byKey.Values)
        {
            var listing = Listing(item);
            var record = new TableEntity(listing) { PartitionKey = item.Key, RowKey = "item" };
            record["Kind"] = "item";
            record["ItemId"] = item.ItemId;
            record["Fingerprint"] = CrossSourceDedupe.Fingerprint(item);
            record["FirstSeen"] = NewsTesting.Now;
            record["Changed"] = NewsTesting.Now;
            record["ContentChunks"] = 1;
            record["Content0"] = item.ContentHtml;
            await records.UpsertEntityAsync(record, TableUpdateMode.Replace, Ct);
            if (item.Link is { } link)
            {
                await links.UpsertEntityAsync(new TableEntity(NewsKey.Hash("link\n" + link), "link") { ["Target"] = item.Key, ["Link"] = link }, TableUpdateMode.Replace, Ct);
            }

            var rowKey = NewsStore.IndexRowKey(item.Published, item.Key);
            var partitions = new[] { "all" }.Concat(item.Sources.Select(s => NewsStore.SourcePartition(s.Id))).Concat(item.Tags.Select(NewsStore.TagPartition)).Distinct();
            foreach (var partition in partitions)
            {
                await index.UpsertEntityAsync(new TableEntity(listing) { PartitionKey = partition, RowKey = rowKey, ["Key"] = item.Key, ["SourceIds"] = "|" + string.Join("|", item.Sources.Select(s => s.Id)) + "|" }, TableUpdateMode.Replace, Ct);
            }
        }

        foreach (var (key, target, sourceId, fingerprint) in aliases)
        {
            await records.UpsertEntityAsync(new TableEntity(key, "item") { ["Kind"] = "alias", ["Target"] = target, ["SourceId"] = sourceId, ["Fingerprint"] = fingerprint }, TableUpdateMode.Replace, Ct);
        }

        return ([.. byKey.Values.OrderByDescending(i => i.Published)], [.. aliases.Select(a => (a.Item1, a.Item2))]);
    }

    private static TableEntity Listing(NewsItem item) => new()
    {
        ["Title"] = item.Title,
        ["Link"] = item.Link,
        ["Published"] = item.Published,
        ["PublishedFrom"] = item.PublishedFrom.ToString(),
        ["Summary"] = item.Summary,
        ["Author"] = item.Author,
        ["Tags"] = JsonSerializer.Serialize(item.Tags, Json),
        ["Language"] = item.Language,
        ["Sources"] = JsonSerializer.Serialize(item.Sources, Json),
        ["RelatedMeasures"] = JsonSerializer.Serialize(item.RelatedMeasures, Json),
    };
}
