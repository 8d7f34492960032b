using System.Text;
using Microsoft.Extensions.Time.Testing;
using Radar.Core.News;
using Radar.Core.News.Reading;

namespace Radar.Core.Tests.News;

/// <summary>The sample feeds through parse, related measures (from the search index over the
/// Munich sample) and store: what an ingest run does once the fetcher has brought the bytes.</summary>
public class NewsFeedImporterTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _clock = new(NewsTesting.Now);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<NewsHarness> StartAsync() => NewsHarness.StartAsync(azurite, _clock, Ct);

    private static async Task<List<NewsImportReport>> ImportSamplesAsync(NewsFeedImporter importer, Func<string, byte[], byte[]>? edit = null)
    {
        var reports = new List<NewsImportReport>();
        foreach (var (file, source) in NewsTesting.Samples)
        {
            var payload = NewsTesting.SamplePayload(file);
            if (edit is not null)
            {
                payload = payload with { Body = edit(file, payload.Body.ToArray()) };
            }

            reports.Add(await importer.ImportAsync(source, payload, Ct));
        }

        return reports;
    }

    [Fact]
    public async Task Importing_the_samples_twice_adds_nothing_the_second_time_and_an_edit_updates_one_item()
    {
        await using var news = await StartAsync();
        var (importer, store) = (news.Importer, news.Store);

        var first = await ImportSamplesAsync(importer);
        _clock.Advance(TimeSpan.FromMinutes(15));
        var second = await ImportSamplesAsync(importer);
        _clock.Advance(TimeSpan.FromMinutes(15));
        var third = await ImportSamplesAsync(importer, (file, body) => file == "stadtportal-muenchen.atom"
            ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("M-WLAN jetzt auch im Olympiapark", "M-WLAN jetzt auch im Olympiapark und am Königsplatz", StringComparison.Ordinal))
            : body);

        Assert.All(first, r => Assert.Null(r.Error));
        Assert.Equal((34, 0, 0, 1), (first.Sum(r => r.New), first.Sum(r => r.Updated), first.Sum(r => r.Unchanged), first.Sum(r => r.Merged)));
        Assert.Equal((0, 0, 35, 0), (second.Sum(r => r.New), second.Sum(r => r.Updated), second.Sum(r => r.Unchanged), second.Sum(r => r.Merged)));
        Assert.Equal((0, 1, 34, 0), (third.Sum(r => r.New), third.Sum(r => r.Updated), third.Sum(r => r.Unchanged), third.Sum(r => r.Merged)));

        var all = new List<NewsListEntry>();
        for (var page = 1; ; page++)
        {
            var listed = await store.ListAsync(new NewsQuery(page, 10), Ct);
            all.AddRange(listed.Items);
            if (!listed.HasMore)
            {
                break;
            }
        }

        Assert.Equal(34, all.Count);
        Assert.Equal(all.OrderByDescending(i => i.Published).Select(i => i.Key), all.Select(i => i.Key));
        Assert.Equal("M-WLAN jetzt auch im Olympiapark und am Königsplatz", all[0].Title);
        Assert.Contains(all, i => i.Title == "Düsseldorf: Digitalstrategie neu ausgerichtet");
        var shared = Assert.Single(all, i => i.Link == "https://stadtportal-muenchen.example/aktuelles/2026/e-akte-kvr");
        Assert.Equal(["stadtportal-muenchen", "digitales-muenchen"], shared.Sources.Select(s => s.Id));
    }

    [Fact]
    public async Task A_refused_feed_stores_nothing_and_says_why()
    {
        await using var news = await StartAsync();
        var (importer, store) = (news.Importer, news.Store);
        var payload = new FeedPayload(Encoding.UTF8.GetBytes("<!DOCTYPE html><html><body>Wartungsarbeiten</body></html>"), "text/html", NewsTesting.FeedUrl);

        var report = await importer.ImportAsync(NewsTesting.KommunalDigital, payload, Ct);

        Assert.Equal(FeedErrorCodes.Html, report.Error?.Code);
        Assert.Empty((await store.ListAsync(new NewsQuery(), Ct)).Items);
    }

    [Fact]
    public async Task Related_measures_come_from_the_index_and_are_stored_with_the_item()
    {
        await using var news = await StartAsync();

        await news.Importer.ImportAsync(NewsTesting.Stadtportal, NewsTesting.SamplePayload("stadtportal-muenchen.atom"), Ct);

        var items = (await news.Store.ListAsync(new NewsQuery(PageSize: 100), Ct)).Items;
        Assert.Contains("oeffentliches-wlan", items.Single(i => i.Title == "M-WLAN jetzt auch im Olympiapark").RelatedMeasures);
        var akte = items.Single(i => i.Title.StartsWith("Elektronische Akte", StringComparison.Ordinal)).RelatedMeasures;
        Assert.Contains("elektronische-akte", akte);
        Assert.DoesNotContain("oeffentliches-wlan", akte);
    }

    [Fact]
    public async Task A_feed_cut_off_in_its_second_item_stores_the_first_and_says_where_it_broke()
    {
        await using var news = await StartAsync();
        var payload = new FeedPayload(await File.ReadAllBytesAsync(Path.Combine(FeedTestData.Folder("Rss"), "truncated.rss"), Ct), "application/rss+xml", NewsTesting.FeedUrl);

        var report = await news.Importer.ImportAsync(NewsTesting.KommunalDigital, payload, Ct);

        Assert.Null(report.Error);
        Assert.Equal(1, report.New);
        Assert.NotNull(report.Break);
        Assert.Contains($"line {report.Break.Line}, column {report.Break.Column}", ((Radar.Core.Sources.IPartialResult)report).PartialReason, StringComparison.Ordinal);
        var stored = Assert.Single((await news.Store.ListAsync(new NewsQuery(), Ct)).Items);
        Assert.Equal("Digitalradar: erster vollständiger Eintrag", stored.Title);
    }
}
