using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Radar.Core.Storage;

namespace Radar.Core.Tests.Storage;

public class RadarStorageTests(AzuriteFixture azurite)
{
    private RadarStorage Create(string prefix) => new(
        StorageConnection.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection([new("Storage", azurite.ConnectionString)]).Build(), "Storage"),
        Options.Create(new RadarOptions { StoragePrefix = prefix }));

    [Fact]
    public async Task Tables_and_containers_are_created_once_with_the_prefix()
    {
        var prefix = AzuriteFixture.NewPrefix();
        var storage = Create(prefix);
        var ct = TestContext.Current.CancellationToken;

        var table = await storage.GetTableAsync("Measures", ct);
        var again = await storage.GetTableAsync("Measures", ct);
        var container = await storage.GetContainerAsync("index", ct);

        Assert.Same(table, again);
        Assert.Equal(prefix + "Measures", table.Name);
        Assert.Equal(prefix + "-index", container.Name);
        var tables = new List<string>();
        await foreach (var t in storage.TableService.QueryAsync(x => x.Name == prefix + "Measures", cancellationToken: ct))
        {
            tables.Add(t.Name);
        }

        Assert.Single(tables);
        Assert.True(await container.ExistsAsync(ct));
    }

    [Fact]
    public void A_prefix_that_storage_would_refuse_is_refused_with_the_setting_name()
    {
        var error = Assert.Throws<ArgumentException>(() => Create("1-bad"));

        Assert.Contains("Radar__StoragePrefix", error.Message, StringComparison.Ordinal);
    }
}
