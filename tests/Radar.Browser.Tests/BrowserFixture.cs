using Microsoft.Playwright;

namespace Radar.Browser.Tests;

/// <summary>
/// One headless Chromium for the test assembly: Debian's (<c>/usr/bin/chromium</c>, or
/// <c>RADAR_CHROMIUM</c>), driven by Playwright's node driver that the NuGet package puts beside
/// the tests. Playwright's own browser download is never used (it cannot work here).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const int DesktopWidth = 1280;
    public const int PhoneWidth = 390;

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("RADAR_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not at {ChromiumPath}. Install it (Debian: apt-get install chromium; .ci/run does) or point RADAR_CHROMIUM at it.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // No sandbox as root in CI; no GPU; nothing that phones home from a machine without internet.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
    }

    /// <summary>A fresh browser context (own cookies and cache) at a width.</summary>
    public Task<IBrowserContext> NewContextAsync(Uri baseAddress, int width = DesktopWidth, bool javaScript = true, bool bypassCsp = false) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = width <= PhoneWidth ? 844 : 900 },
            JavaScriptEnabled = javaScript,
            BypassCSP = bypassCsp,
            Locale = "de-DE",
            TimezoneId = "Europe/Berlin",
        });

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
