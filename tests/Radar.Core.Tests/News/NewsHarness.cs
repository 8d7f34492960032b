using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Radar.Core.Hosting;
using Radar.Core.Measures.Ingest;
using Radar.Core.News;
using Radar.Core.Search.Replication;
using Radar.Core.Search.Serving;
using Radar.Core.Sources;
using Radar.Core.Storage;

namespace Radar.Core.Tests.News;

/// <summary>
/// The news import with the services the app runs it with: the Munich sample measures ingested
/// and published to the search index, a replica of it loaded, so related measures come from the
/// real <see cref="IndexRelatedMeasureFinder"/>. Parsing and storing news run on a fake clock
/// (the samples' dates are believable against it); the index machinery on the real one.
/// </summary>
internal sealed class NewsHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IndexReplica _replica;

    private NewsHarness(ServiceProvider services, IndexReplica replica, NewsFeedImporter importer, NewsStore store, CrossSourceDedupe dedupe)
    {
        _services = services;
        _replica = replica;
        Importer = importer;
        Store = store;
        Dedupe = dedupe;
    }

    public NewsFeedImporter Importer { get; }

    /// <summary>The services the harness runs with (storage, lease, related-measure finder).</summary>
    public IServiceProvider Services => _services;

    public NewsStore Store { get; }

    public CrossSourceDedupe Dedupe { get; }

    public static async Task<NewsHarness> StartAsync(AzuriteFixture azurite, FakeTimeProvider clock, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Radar:StoragePrefix"] = AzuriteFixture.NewPrefix(),
            ["Radar:ContentRoot"] = AzuriteFixture.RepoRoot,
            ["Radar:Search:IndexPath"] = Directory.CreateTempSubdirectory("radar-news-index-").FullName,
            ["Radar:Sources:0:Url"] = "file:samples/measures/muenchen.json",
            ["Radar:Sources:0:Kind"] = SourceKinds.MeasuresJson,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRadarCore(configuration);
        services.AddMeasures(configuration);
        services.AddSearch(configuration);
        var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<MeasureIngestService>().RunAsync(SourceRunMode.Full, cancellationToken);
        var replica = provider.GetRequiredService<IndexReplica>();
        await ((IHostedService)replica).StartAsync(cancellationToken);
        if (!await replica.WaitUntilLoadedAsync(TimeSpan.FromMinutes(1), cancellationToken))
        {
            throw new InvalidOperationException("The sample measures' index did not load.");
        }

        var options = provider.GetRequiredService<IOptions<NewsOptions>>();
        var store = new NewsStore(provider.GetRequiredService<RadarStorage>(), clock);
        var dedupe = new CrossSourceDedupe(store);
        var parser = new NewsFeedParser(new NewsItemNormaliser(provider.GetRequiredService<Radar.Core.News.Normalising.NewsHtml>(), options), options, clock);
        var importer = new NewsFeedImporter(parser, provider.GetRequiredService<IRelatedMeasureFinder>(), dedupe, store);
        return new NewsHarness(provider, replica, importer, store, dedupe);
    }

    public async ValueTask DisposeAsync()
    {
        await ((IHostedService)_replica).StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}
