namespace Radar.Functions.Tests.Pages;

/// <summary>The sample radars, ingested once for a test class, with a history for the WLAN
/// measure: its status went from „In Umsetzung“ to „Umgesetzt“ and its progress from 70 to 100.</summary>
public sealed class PagesFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    private SampleRadars? _radars;

    public RadarApp App => _radars?.App ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        _radars = await SampleRadars.StartAsync(azurite, timeout.Token);
        await _radars.EditAndIngestAsync(measure =>
        {
            var wlan = measure("oeffentliches-wlan");
            wlan["status"] = "umgesetzt";
            wlan["progress"] = 100;
        }, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_radars is not null)
        {
            await _radars.DisposeAsync();
        }
    }
}
