using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.News;

namespace Radar.Functions.Tests.Search;

/// <summary>
/// The sample radars ingested through the admin route (which feeds the index), and the four sample
/// news feeds imported the way the news ingest does it: <see cref="NewsFeedImporter"/> (which asks
/// the index for each item's related measures) and then the index's <see cref="INewsChangeListener"/>.
/// </summary>
public sealed class SearchFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public static readonly IReadOnlyList<(string File, string ContentType, NewsSourceInfo Source, Uri Url)> NewsSamples =
    [
        ("stadtportal-muenchen.atom", "application/atom+xml", new("stadtportal-muenchen", "Stadtportal München"), new("https://stadtportal-muenchen.example/aktuelles/feed.atom")),
        ("kommunal-digital.rss", "application/rss+xml", new("kommunal-digital", "Kommunal Digital"), new("https://www.kommunal-digital.example/feed.rss")),
        ("digitales-muenchen.json", "application/feed+json", new("digitales-muenchen", "Digitales München"), new("https://digitales-muenchen.example/feed.json")),
        ("verwaltung-modern.rdf", "application/rdf+xml", new("verwaltung-modern", "Verwaltung modern"), new("https://verwaltung-modern.example/rdf")),
    ];

    private SampleRadars? _radars;

    public RadarApp App => _radars?.App ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        _radars = await SampleRadars.StartAsync(azurite, timeout.Token);
        await ImportNewsAsync(App, timeout.Token);
    }

    /// <summary>Imports the sample news into <paramref name="app"/> as the news ingest would.</summary>
    public static async Task ImportNewsAsync(RadarApp app, CancellationToken cancellationToken)
    {
        // Related measures come from the index: it must hold the measures first.
        await Eventually.WaitForAsync(
            async () => await CountAsync(app, "api/search?type=measure&pageSize=1", cancellationToken),
            total => total >= 57, "the sample measures in the index", TimeSpan.FromMinutes(1));
        var importer = app.Services.GetRequiredService<NewsFeedImporter>();
        var samples = Path.Combine(AzuriteFixture.RepoRoot, "samples", "news");
        foreach (var (file, contentType, source, url) in NewsSamples)
        {
            var payload = new FeedPayload(await File.ReadAllBytesAsync(Path.Combine(samples, file), cancellationToken), contentType, url);
            var report = await importer.ImportAsync(source, payload, cancellationToken);
            if (report.Error is not null)
            {
                throw new InvalidOperationException($"Sample {file} did not import: {report.Error}");
            }
        }

        var stored = new List<NewsItem>();
        await foreach (var item in app.Services.GetRequiredService<NewsStore>().ListAllAsync(cancellationToken))
        {
            stored.Add(item);
        }

        foreach (var listener in app.Services.GetServices<INewsChangeListener>())
        {
            await listener.NewsChangedAsync(stored, cancellationToken);
        }

        await Eventually.WaitForAsync(
            async () => await CountAsync(app, "api/search?type=news&pageSize=1", cancellationToken),
            total => total == stored.Count, $"the {stored.Count} sample news items in the index");
    }

    public static async Task<int> CountAsync(RadarApp app, string url, CancellationToken cancellationToken)
    {
        using var response = await app.Client.GetAsync(url, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return -1;
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("total").GetInt32();
    }

    public async ValueTask DisposeAsync()
    {
        if (_radars is not null)
        {
            await _radars.DisposeAsync();
        }
    }
}
