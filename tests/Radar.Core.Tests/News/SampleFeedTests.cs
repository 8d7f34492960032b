using Radar.Core.News;
using Radar.Core.News.Reading;

namespace Radar.Core.Tests.News;

/// <summary>The feeds in samples/news, as the local run reads them.</summary>
public class SampleFeedTests
{
    private readonly NewsTesting _news = new();

    public static TheoryData<string> Files => [.. NewsTesting.Samples.Select(s => s.File)];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_sample_parses_whole_with_umlauts_dates_and_links(string file)
    {
        var source = NewsTesting.Samples.Single(s => s.File == file).Source;

        var result = _news.ParseSample(file, source);

        Assert.Null(result.Error);
        Assert.Empty(result.Skipped);
        Assert.NotEmpty(result.Items);
        Assert.All(result.Items, item =>
        {
            Assert.DoesNotContain('\uFFFD', item.Title + item.Summary + item.ContentHtml + string.Concat(item.Tags));
            Assert.DoesNotContain("Ã", item.Title + item.Summary, StringComparison.Ordinal); // UTF-8 read as Latin-1
            Assert.InRange(item.Published, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), NewsTesting.Now);
            Assert.NotEqual(NewsDateOrigin.FirstSeen, item.PublishedFrom);
            Assert.StartsWith("https://", item.Link, StringComparison.Ordinal);
            Assert.DoesNotContain("utm_", item.Link, StringComparison.Ordinal);
            Assert.DoesNotContain("#", item.Link, StringComparison.Ordinal);
            Assert.NotEmpty(item.Summary);
            Assert.NotEmpty(item.Tags);
            Assert.StartsWith("de", item.Language, StringComparison.Ordinal);
            Assert.Equal([source.Ref], item.Sources);
        });
    }

    [Fact]
    public void The_samples_hold_more_than_30_German_items_in_four_formats()
    {
        var results = NewsTesting.Samples.Select(s => _news.ParseSample(s.File, s.Source)).ToList();

        Assert.True(results.Sum(r => r.Items.Count) >= 30);
        Assert.Equal([FeedFormat.Atom, FeedFormat.Rss20, FeedFormat.JsonFeed, FeedFormat.Rdf], results.Select(r => r.Feed!.Format));
    }

    [Fact]
    public void The_Windows_1252_RSS_sample_keeps_umlauts_quotes_and_the_euro_sign()
    {
        var result = _news.ParseSample("kommunal-digital.rss", NewsTesting.KommunalDigital);

        Assert.Equal("windows-1252", result.Feed!.Encoding);
        Assert.Equal("Kommunal Digital – Nachrichten für die öffentliche Verwaltung", result.Feed.Title);
        var titles = result.Items.Select(i => i.Title).ToList();
        Assert.Contains("Düsseldorf: Digitalstrategie neu ausgerichtet", titles);
        Assert.Contains("Thüringen: E-Government-Gesetz wird novelliert", titles);
        Assert.Contains("Nürnberg: Bürgerämter führen die elektronische Akte ein", titles);
        Assert.Contains(result.Items, i => i.Summary.Contains("12 Mio. € weniger", StringComparison.Ordinal));
        Assert.Contains(result.Items, i => i.Tags.Contains("Künstliche Intelligenz"));
    }

    [Fact]
    public void The_RSS_sample_served_with_the_wrong_charset_still_reads_right()
    {
        // The classic misconfiguration: the server says UTF-8, the file is Windows-1252.
        var result = _news.Parser.Parse(NewsTesting.SamplePayload("kommunal-digital.rss", "application/rss+xml; charset=utf-8"), NewsTesting.KommunalDigital);

        Assert.Contains("Düsseldorf: Digitalstrategie neu ausgerichtet", result.Items.Select(i => i.Title));
        Assert.Equal("windows-1252", result.Feed!.Encoding);
        Assert.NotNull(result.Feed.EncodingNote);
    }

    [Theory]
    [InlineData("kd-2026-0423-duesseldorf", "2026-04-23T08:15:00Z")] // CEST
    [InlineData("kd-2026-0418-thueringen", "2026-04-18T07:00:00Z")] // +0200
    [InlineData("kd-2026-0409-cdo", "2026-04-09T12:30:00Z")]        // MESZ
    [InlineData("kd-2026-0328-ozg", "2026-03-28T07:45:00Z")]        // CET, the day before summer time
    [InlineData("kd-2025-0320-nuernberg-eakte", "2025-03-20T08:30:00Z")] // MEZ
    [InlineData("kd-2025-0129-sachsen-daten", "2025-01-29T15:00:00Z")]   // GMT
    public void RSS_sample_dates_with_European_zones_are_right_in_UTC(string itemId, string utc)
    {
        var result = _news.ParseSample("kommunal-digital.rss", NewsTesting.KommunalDigital);

        var item = result.Items.Single(i => i.ItemId == itemId);
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), item.Published);
    }

    [Fact]
    public void The_RSS_sample_rough_edges_are_smoothed()
    {
        var items = _news.ParseSample("kommunal-digital.rss", NewsTesting.KommunalDigital).Items;

        var relative = items.Single(i => i.ItemId == "kd-2025-0915-muenchen-wlan");
        Assert.Equal("https://www.kommunal-digital.example/meldungen/muenchen-wlan-u-bahnhoefe", relative.Link);
        var tracked = items.Single(i => i.ItemId == "kd-2025-1112-koeln-ki");
        Assert.Equal("https://www.kommunal-digital.example/meldungen/koeln-ki-assistent", tracked.Link);
        var teaser = items.Single(i => i.ItemId == "kd-2025-0725-muenchen-radar");
        Assert.StartsWith("Im Digitalisierungsradar zeigt München, wie weit öffentliches WLAN", teaser.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("nbsp", teaser.Summary, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://www.kommunal-digital.example/bilder/radar-muenchen.jpg\"", teaser.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://www.kommunal-digital.example/themen/muenchen\" rel=\"nofollow noopener\">", teaser.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("drei Kernbereichen", teaser.ContentHtml, StringComparison.Ordinal); // content:encoded wins over the teaser
    }

    [Fact]
    public void The_RSS_sample_read_from_a_local_file_resolves_its_relative_link_against_the_site()
    {
        var payload = NewsTesting.SamplePayload("kommunal-digital.rss") with
        {
            FeedUrl = new Uri(Path.Combine(NewsTesting.SamplesFolder, "kommunal-digital.rss")),
        };

        var items = _news.Parser.Parse(payload, NewsTesting.KommunalDigital).Items;

        Assert.Equal("https://www.kommunal-digital.example/meldungen/muenchen-wlan-u-bahnhoefe", items.Single(i => i.ItemId == "kd-2025-0915-muenchen-wlan").Link);
    }

    [Fact]
    public void The_Atom_sample_resolves_xml_base_keeps_xhtml_and_falls_back_to_updated()
    {
        var items = _news.ParseSample("stadtportal-muenchen.atom", NewsTesting.Stadtportal).Items;

        var wlan = items.Single(i => i.Title == "M-WLAN jetzt auch im Olympiapark");
        Assert.Equal("https://stadtportal-muenchen.example/aktuelles/2026/m-wlan-olympiapark", wlan.Link);
        Assert.Contains("<strong>„M-WLAN“</strong>", wlan.ContentHtml, StringComparison.Ordinal);
        Assert.Contains("href=\"https://stadtportal-muenchen.example/karten/m-wlan\"", wlan.ContentHtml, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero), wlan.Published);
        Assert.Equal("Presse- und Informationsamt", wlan.Author);
        var updatedOnly = items.Single(i => i.Title == "M-WLAN an allen Stadtbibliotheken verfügbar");
        Assert.Equal((new DateTimeOffset(2025, 11, 6, 14, 20, 0, TimeSpan.Zero), NewsDateOrigin.Updated), (updatedOnly.Published, updatedOnly.PublishedFrom));
        var eAkte = items.Single(i => i.Title.StartsWith("Elektronische Akte", StringComparison.Ordinal));
        Assert.Equal("https://stadtportal-muenchen.example/aktuelles/2026/e-akte-kvr", eAkte.Link);
        Assert.Contains("<b>E-Akte</b>", eAkte.ContentHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void The_JSON_sample_keeps_the_item_without_id_and_shares_a_story_with_the_Atom_sample()
    {
        var json = _news.ParseSample("digitales-muenchen.json", NewsTesting.DigitalesMuenchen).Items;
        var atom = _news.ParseSample("stadtportal-muenchen.atom", NewsTesting.Stadtportal).Items;

        Assert.Contains(json, i => i.ItemId is null && i.Title.StartsWith("200 Online-Services", StringComparison.Ordinal));
        Assert.Contains(json, i => i.ItemId == "20251014");
        Assert.Contains(json, i => i.PublishedFrom == NewsDateOrigin.Updated);
        var shared = json.Select(i => i.Link).Intersect(atom.Select(i => i.Link)).ToList();
        Assert.Equal(["https://stadtportal-muenchen.example/aktuelles/2026/e-akte-kvr"], shared);
    }

    [Fact]
    public void One_parser_reads_many_feeds_at_once_with_the_same_results()
    {
        // The parser is a singleton and the ingest reads sources in parallel.
        string Parse(string file) => System.Text.Json.JsonSerializer.Serialize(
            _news.ParseSample(file, NewsTesting.Samples.Single(s => s.File == file).Source));
        var expected = NewsTesting.Samples.ToDictionary(s => s.File, s => Parse(s.File));

        var results = new System.Collections.Concurrent.ConcurrentBag<(string File, string Json)>();
        Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var file = NewsTesting.Samples[i % NewsTesting.Samples.Count].File;
            results.Add((file, Parse(file)));
        });

        Assert.Equal(40, results.Count);
        Assert.All(results, r => Assert.Equal(expected[r.File], r.Json));
    }
}
