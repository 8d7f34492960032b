namespace Radar.Functions.Tests.Pages;

/// <summary>The sample radars, ingested once for a test class, with a history for the WLAN
/// measure: its status went from „In Umsetzung“ to „Umgesetzt“ and its progress from 70 to 100;
/// and a description that tries to run script (<see cref="HostileMeasure"/>).</summary>
public sealed class PagesFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public const string HostileMeasure = "elektronische-akte";

    public const string HostileDescription =
        "<p>Akte <b>digital</b>.</p><script>window.pwned = 1</script><img src=\"https://example.org/x.png\" onerror=\"window.pwned = 2\">" +
        "<a href=\"javascript:window.pwned = 3\">Klick</a><iframe src=\"https://example.org\"></iframe><p onclick=\"window.pwned = 4\">Ende</p>";

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
            measure(HostileMeasure)["description"] = HostileDescription;
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
