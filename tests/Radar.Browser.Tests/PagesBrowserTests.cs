using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Radar.Browser.Tests;

/// <summary>The citizens' pages in a real Chromium: what a reader sees and can do, with and
/// without JavaScript, with the keyboard, at desktop and phone width (axe-core and reflow at every width: <see cref="ReflowBrowserTests"/>).</summary>
[Collection(SiteCollection.Name)]
public class PagesBrowserTests(SiteFixture site, BrowserFixture browser)
{
    private const string Wlan = "/massnahmen/oeffentliches-wlan";

    private async Task<IPage> OpenAsync(string path, int width = BrowserFixture.DesktopWidth, bool javaScript = true, bool bypassCsp = false)
    {
        var context = await browser.NewContextAsync(site.App.BaseAddress, width, javaScript, bypassCsp);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(path);
        Assert.NotNull(response);
        return page;
    }

    [Fact]
    public async Task The_home_page_shows_the_radar_picture_and_its_table()
    {
        var page = await OpenAsync("/");

        var picture = page.Locator("svg.radar-picture");
        await Assertions.Expect(picture).ToBeVisibleAsync();
        Assert.Equal("group", await picture.GetAttributeAsync("role"));
        var labelledBy = (await picture.GetAttributeAsync("aria-labelledby"))!.Split(' ');
        Assert.Equal("Digitalisierungsradar München", await page.Locator($"#{labelledBy[0]}").TextContentAsync());
        Assert.Equal(48, await picture.Locator("a.blip").CountAsync());
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(48);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Letzte Änderungen" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Öffentliches WLAN „M-WLAN“: Status von „In Umsetzung“ zu „Umgesetzt“" })).ToBeVisibleAsync();
        // Blip numbers and table numbers are the same measures.
        var number = await page.Locator("table tbody tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "Öffentliches WLAN „M-WLAN“" }) }).Locator("td.num").TextContentAsync();
        Assert.StartsWith($"{number}. Öffentliches WLAN", await picture.Locator($"a[data-measure='oeffentliches-wlan']").GetAttributeAsync("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_narrow_picture_and_table_without_JavaScript()
    {
        var page = await OpenAsync("/", javaScript: false);

        await page.GetByRole(AriaRole.Link, new() { Name = "Infrastruktur (16)" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"\?area=infrastruktur$"));
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(16);
        await Assertions.Expect(page.Locator("svg.radar-picture a.blip")).ToHaveCountAsync(16);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Infrastruktur (16)" })).ToHaveAttributeAsync("aria-current", "true");

        // The department form is a plain GET form: it keeps the area and adds the department.
        await page.GetByLabel("Referat").SelectOptionAsync("Stadtwerke München");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anwenden" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("department=Stadtwerke"));
        Assert.Contains("area=infrastruktur", page.Url, StringComparison.Ordinal);
        var rows = await page.Locator("table tbody tr").CountAsync();
        Assert.InRange(rows, 1, 15);
        Assert.Equal(rows, await page.Locator("svg.radar-picture a.blip").CountAsync());
        Assert.All(await page.Locator("table tbody tr td:last-child").AllTextContentsAsync(), t => Assert.Contains("Stadtwerke München", t, StringComparison.Ordinal));

        await page.GetByRole(AriaRole.Link, new() { Name = "Alle Filter zurücksetzen" }).ClickAsync();
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(48);
    }

    [Fact]
    public async Task A_blip_in_the_picture_leads_to_its_measure_page_which_shows_its_history()
    {
        var page = await OpenAsync("/");

        await page.Locator("svg.radar-picture a[data-measure='oeffentliches-wlan']").ClickAsync();
        await page.WaitForURLAsync(new Regex("/massnahmen/oeffentliches-wlan$"));

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Öffentliches WLAN „M-WLAN“");
        var history = page.Locator("ol.timeline > li");
        await Assertions.Expect(history).ToHaveCountAsync(2);
        await Assertions.Expect(history.Nth(0)).ToContainTextAsync("Status von „In Umsetzung“ zu „Umgesetzt“ geändert");
        await Assertions.Expect(history.Nth(0).Locator("dd")).ToContainTextAsync("70 %");
        await Assertions.Expect(history.Nth(0).Locator("dd")).ToContainTextAsync("100 %");
        await Assertions.Expect(history.Nth(1)).ToContainTextAsync("In das Radar aufgenommen");
        await Assertions.Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Fortschritt" })).ToHaveAttributeAsync("value", "100");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "WLAN", Exact = true })).ToHaveAttributeAsync("href", "/suche?tag=WLAN");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Änderungen als RSS-Feed abonnieren" })).ToHaveAttributeAsync("href", "/api/feed.rss?measure=oeffentliches-wlan");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Link per E-Mail senden" })).ToHaveAttributeAsync("href", new Regex("^mailto:\\?subject="));
        var news = page.Locator("section[aria-labelledby='nachrichten'] ul.news-list > li");
        await Assertions.Expect(news).ToHaveCountAsync(2);
        await Assertions.Expect(news.GetByRole(AriaRole.Link, new() { Name = SiteFixture.WlanNewsTitle })).ToHaveAttributeAsync("href", "https://news.example/wlan-hotspots");
        await Assertions.Expect(news.First).ToContainTextAsync("Stadtportal München");
        var oembed = await page.Locator("link[rel=alternate][type='application/json+oembed']").GetAttributeAsync("href");
        Assert.Equal(new Uri(site.App.BaseAddress, "/api/oembed?format=json&url=" + Uri.EscapeDataString(new Uri(site.App.BaseAddress, Wlan).ToString())).ToString(), oembed);
        // Tags are searches: the WLAN tag leads to its search page with the measure on it.
        await page.GetByRole(AriaRole.Link, new() { Name = "WLAN", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/suche\?tag=WLAN$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Schlagwort „WLAN“");
        await Assertions.Expect(page.Locator("ol.hits .hit__title").Filter(new() { HasText = "Öffentliches WLAN „M-WLAN“" }).First).ToBeVisibleAsync();
        await page.GoBackAsync();
        // The ES module ran under the CSP.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Link kopieren" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_unknown_measure_gets_the_German_404_page()
    {
        var context = await browser.NewContextAsync(site.App.BaseAddress);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("/massnahmen/gibt-es-nicht");

        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Maßnahme nicht gefunden");
        Assert.Equal("de", await page.Locator("html").GetAttributeAsync("lang"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Zur Startseite mit dem Radarbild" }).ClickAsync();
        await Assertions.Expect(page.Locator("svg.radar-picture")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_keyboard_reaches_the_skip_link_then_the_search_box()
    {
        var page = await OpenAsync("/");

        await page.Keyboard.PressAsync("Tab");
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Zum Inhalt springen" });
        await Assertions.Expect(skip).ToBeFocusedAsync();
        await Assertions.Expect(skip).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("main#inhalt")).ToBeFocusedAsync();

        await page.GotoAsync("/");
        // With JavaScript the search box is a combobox (instant search); Enter without a chosen
        // suggestion still submits the form.
        var search = page.GetByRole(AriaRole.Combobox, new() { Name = "Maßnahmen und Nachrichten durchsuchen" });
        for (var i = 0; i < 5 && !await search.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Assertions.Expect(search).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("WLAN");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex(@"/suche\?q=WLAN$"));
    }

    [Fact]
    public async Task Pages_carry_a_CSP_without_inline_script_and_break_none_of_it()
    {
        var context = await browser.NewContextAsync(site.App.BaseAddress);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        foreach (var path in new[] { "/", Wlan, $"/massnahmen/{SiteFixture.HostileMeasure}", "/nirgendwo" })
        {
            var response = await page.GotoAsync(path);
            var csp = await response!.HeaderValueAsync("content-security-policy");
            Assert.NotNull(csp);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", await response.HeaderValueAsync("x-content-type-options"));
            Assert.Equal(0, await page.Locator("script:not([src])").CountAsync());
            Assert.Equal(0, await page.Locator("[style]").CountAsync());
            Assert.Equal(0, await page.EvaluateAsync<int>(
                "() => [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length"));
        }

        // The hostile description was shown, sanitised, and nothing in it ran.
        await page.GotoAsync($"/massnahmen/{SiteFixture.HostileMeasure}");
        await Assertions.Expect(page.Locator(".prose")).ToContainTextAsync("Die Akte wird digital.");
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.pwned"));
        Assert.Empty(violations);
    }

    [Fact]
    public async Task The_radar_svg_is_an_image_with_a_title()
    {
        var page = await OpenAsync("/api/radar.svg?area=infrastruktur");

        var root = page.Locator("svg").First;
        Assert.Equal("img", await root.GetAttributeAsync("role"));
        var titleId = (await root.GetAttributeAsync("aria-labelledby"))!.Split(' ')[0];
        Assert.Equal("Digitalisierungsradar München – Infrastruktur", await page.Locator($"svg > title#{titleId}").TextContentAsync());
        Assert.Equal(16, await page.Locator("a.blip").CountAsync());
        await page.Locator("a[data-measure='oeffentliches-wlan']").ClickAsync();
        await page.WaitForURLAsync(new Regex("/massnahmen/oeffentliches-wlan$"));
    }

    [Fact]
    public async Task Screenshots_of_each_page_at_desktop_and_phone_width()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var shots = new Dictionary<string, string>
        {
            ["home"] = "/",
            ["home-infrastruktur"] = "/?area=infrastruktur",
            ["home-handlungsfelder"] = "/?group=field",
            ["home-musterstadt"] = "/?radar=musterstadt",
            ["massnahme-wlan"] = Wlan,
            ["massnahme-musterstadt"] = "/massnahmen/buergerkonto?radar=musterstadt",
            ["404"] = "/massnahmen/gibt-es-nicht",
            ["suche-wlan"] = "/suche?q=wlan",
            ["suche-massnahmen-seite-2"] = "/suche?type=measure&page=2",
            ["embed-wlan"] = "/embed?q=wlan",
            ["radar-svg-handlungsfelder"] = "/api/radar.svg?group=field",
        };
        foreach (var width in new[] { BrowserFixture.DesktopWidth, BrowserFixture.PhoneWidth })
        {
            foreach (var (name, path) in shots)
            {
                var page = await OpenAsync(path, width);
                var file = Path.Combine(folder, $"{name}-{width}.png");
                // A bare SVG document has no scrollable body: a full-page shot of it never finishes.
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = !path.EndsWith(".svg", StringComparison.Ordinal) && !path.Contains(".svg?", StringComparison.Ordinal) });
                await page.Context.CloseAsync();
                Assert.True(new FileInfo(file).Length > 10_000, $"{file} is (nearly) empty");
                // Nothing wider than the screen at phone width: the page itself never scrolls sideways.
                if (width == BrowserFixture.PhoneWidth && !path.StartsWith("/api/", StringComparison.Ordinal))
                {
                    var check = await OpenAsync(path, width);
                    Assert.True(await check.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
                        $"{path} scrolls sideways at {width}px");
                    await check.Context.CloseAsync();
                }
            }
        }
    }
}
