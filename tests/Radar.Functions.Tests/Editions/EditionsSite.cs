using System.Net;

namespace Radar.Functions.Tests.Editions;

/// <summary>Radar as a fresh local run has it: Munich's sample editions 2020–2023 from the
/// source's <c>Editions</c> settings and the current file (edition 2024), Musterstadt's CSV
/// without editions; ingested once through the admin route. Answers are not cached, so what a
/// test reads is what is stored.</summary>
public sealed class EditionsSite(AzuriteFixture azurite) : IAsyncLifetime
{
    public RadarApp App { get; private set; } = null!;

    public static readonly string[] Editions = ["2020", "2021", "2022", "2023", "2024"];

    public static Dictionary<string, string?> Settings(bool withPastEditions = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Radar:PublicUrl"] = "https://radar.example",
            ["Radar:Http:CacheSeconds"] = "0",
            ["Radar:Measures:DefaultRadar"] = "muenchen",
            ["Radar:Sources:0:Id"] = "muenchen",
            ["Radar:Sources:0:Url"] = "file:samples/measures/muenchen.json",
            ["Radar:Sources:0:Kind"] = "measures-json",
            ["Radar:Sources:1:Id"] = "musterstadt",
            ["Radar:Sources:1:Url"] = "file:samples/measures/musterstadt.csv",
            ["Radar:Sources:1:Kind"] = "measures-csv",
            ["Radar:Sources:1:Radar"] = "musterstadt",
            ["Radar:Sources:1:Definition"] = "file:samples/measures/musterstadt.radar.json",
        };
        if (withPastEditions)
        {
            for (var i = 0; i < 4; i++)
            {
                settings[$"Radar:Sources:0:Editions:{i}"] = $"file:samples/measures/muenchen-editions/{Editions[i]}.json";
            }
        }

        return settings;
    }

    public static async Task IngestAsync(RadarApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/ingest/measures");
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async ValueTask InitializeAsync()
    {
        App = await RadarApp.StartAsync(azurite, Settings());
        await IngestAsync(App);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
