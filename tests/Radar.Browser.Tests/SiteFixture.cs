namespace Radar.Browser.Tests;

/// <summary>Radar with the sample radars for a test class. The WLAN measure has a history
/// (status „In Umsetzung“ → „Umgesetzt“, progress 70 → 100); the E-Akte's description tries to
/// run script in three ways.</summary>
public sealed class SiteFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public const string HostileMeasure = "elektronische-akte";

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
            measure(HostileMeasure)["description"] =
                "<p>Die Akte wird <b>digital</b>.</p><script>window.pwned = 1</script>" +
                "<img src=\"/gibt-es-nicht.png\" onerror=\"window.pwned = 2\" alt=\"\"><a href=\"javascript:window.pwned = 3\">Mehr</a>";
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
