using System.Text;
using Microsoft.Extensions.Time.Testing;
using Radar.Core.News;
using Radar.Core.News.Normalising;

namespace Radar.Core.Tests.News;

/// <summary>A parser on a fake clock, and ways to feed it text or sample files.</summary>
internal sealed class NewsTesting
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static readonly NewsSourceInfo Source = new("kommunal-digital", "Kommunal Digital", "de");

    public NewsTesting(NewsOptions? options = null)
    {
        Options = options ?? new NewsOptions();
        var settings = Microsoft.Extensions.Options.Options.Create(Options);
        Parser = new NewsFeedParser(new NewsItemNormaliser(Html, settings), settings, Clock);
    }

    public FakeTimeProvider Clock { get; } = new(Now);

    public NewsHtml Html { get; } = new();

    public NewsOptions Options { get; }

    public NewsFeedParser Parser { get; }

    public static Uri FeedUrl { get; } = new("https://www.kommunal-digital.example/feed.rss");

    public static string SamplesFolder => Path.Combine(AzuriteFixture.RepoRoot, "samples", "news");

    public NewsFeedResult Parse(string text, string? contentType = "application/xml", Uri? url = null, NewsSourceInfo? source = null) =>
        Parse(Encoding.UTF8.GetBytes(text), contentType, url, source);

    public NewsFeedResult Parse(byte[] body, string? contentType = "application/xml", Uri? url = null, NewsSourceInfo? source = null) =>
        Parser.Parse(new FeedPayload(body, contentType, url ?? FeedUrl), source ?? Source);

    public NewsFeedResult ParseSample(string file, NewsSourceInfo source, string? contentType = null) =>
        Parser.Parse(SamplePayload(file, contentType), source);

    public static FeedPayload SamplePayload(string file, string? contentType = null) =>
        new(File.ReadAllBytes(Path.Combine(SamplesFolder, file)), contentType, SampleUrls[file]);

    /// <summary>Where the samples would be served from.</summary>
    public static readonly IReadOnlyDictionary<string, Uri> SampleUrls = new Dictionary<string, Uri>
    {
        ["stadtportal-muenchen.atom"] = new("https://stadtportal-muenchen.example/aktuelles/feed.atom"),
        ["kommunal-digital.rss"] = new("https://www.kommunal-digital.example/feed.rss"),
        ["digitales-muenchen.json"] = new("https://digitales-muenchen.example/feed.json"),
        ["verwaltung-modern.rdf"] = new("https://verwaltung-modern.example/rdf"),
    };

    public static readonly NewsSourceInfo Stadtportal = new("stadtportal-muenchen", "Stadtportal München");
    public static readonly NewsSourceInfo KommunalDigital = new("kommunal-digital", "Kommunal Digital");
    public static readonly NewsSourceInfo DigitalesMuenchen = new("digitales-muenchen", "Digitales München");
    public static readonly NewsSourceInfo VerwaltungModern = new("verwaltung-modern", "Verwaltung modern");

    public static readonly IReadOnlyList<(string File, NewsSourceInfo Source)> Samples =
    [
        ("stadtportal-muenchen.atom", Stadtportal),
        ("kommunal-digital.rss", KommunalDigital),
        ("digitales-muenchen.json", DigitalesMuenchen),
        ("verwaltung-modern.rdf", VerwaltungModern),
    ];

    /// <summary>An RSS 2.0 document around the given items.</summary>
    public static string Rss(string items, string channelExtra = "") => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
          <channel>
            <title>Test</title>
            <link>https://www.kommunal-digital.example/</link>
            <description>Test</description>
            {channelExtra}
            {items}
          </channel>
        </rss>
        """;

    public static NewsItem Single(NewsFeedResult result)
    {
        Assert.Null(result.Error);
        return Assert.Single(result.Items);
    }
}
