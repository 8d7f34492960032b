using System.Text;
using Microsoft.Playwright;

namespace Radar.Browser.Tests;

/// <summary>
/// Reflow (WCAG 1.4.10) and axe on every page at 320, 390, 768 and 1280 CSS px: the page never
/// scrolls sideways, whatever scrolls sideways inside it is a labelled, focusable region, and no
/// label of the radar picture is cut off by the picture's edge. One test over all pages and
/// widths, so a failure lists every page and width at once.
/// </summary>
[Collection(SiteCollection.Name)]
public class ReflowBrowserTests(SiteFixture site, BrowserFixture browser)
{
    public static readonly int[] Widths = [320, BrowserFixture.PhoneWidth, 768, BrowserFixture.DesktopWidth];

    private static readonly string[] Pages =
    [
        "/",
        // The most sectors, so the most labels around the picture.
        "/?group=field",
        "/?radar=musterstadt&group=field",
        "/massnahmen/oeffentliches-wlan",
        "/suche?q=wlan",
        "/massnahmen/gibt-es-nicht",
        "/embed?q=wlan",
    ];

    /// <summary>The pages of the radar in time, on the Radar with editions.</summary>
    private static readonly string[] EditionPages =
    [
        "/?edition=2022",
        "/bericht/2022",
        "/vergleich?von=2020&bis=2024",
        "/massnahmen/stadtarchiv-digital",
    ];

    /// <summary>Wider than the viewport, the page scrolls sideways: names the innermost elements
    /// that stick out (not counting those inside an element that scrolls them itself).</summary>
    private const string PageOverflow = """
        () => {
          if (document.documentElement.scrollWidth <= window.innerWidth) return null;
          const out = e => e.getClientRects().length > 0 && e.getBoundingClientRect().right > window.innerWidth + 0.5;
          const scrolled = e => { for (let a = e.parentElement; a; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
          // An element that sticks out, or whose text sticks out of it (a long word).
          const culprit = e => !scrolled(e) && (out(e) || (getComputedStyle(e).overflowX === 'visible' && e.scrollWidth > e.clientWidth + 1 && e.getBoundingClientRect().right + e.scrollWidth - e.clientWidth > window.innerWidth + 0.5));
          const culprits = [...document.querySelectorAll('body *')]
            .filter(e => culprit(e) && ![...e.children].some(culprit))
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
              ` "${(e.textContent || '').trim().slice(0, 30)}" (${Math.round(e.getBoundingClientRect().right)}px)`);
          return `the page is ${document.documentElement.scrollWidth}px wide: ${culprits.join(', ')}`;
        }
        """;

    /// <summary>Every element that scrolls sideways must be a region with a name that the
    /// keyboard can reach (axe's scrollable-region-focusable asks only for the last).</summary>
    private const string UnlabelledScrollers = """
        () => [...document.querySelectorAll('body *')]
          .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
          .filter(e => e.getAttribute('role') !== 'region' || e.getAttribute('tabindex') !== '0' ||
                       !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')))
          .map(e => e.tagName.toLowerCase() + '.' + (e.className || '(no class)'))
        """;

    /// <summary>Text of the radar picture outside the picture's box: cut off by its edge.</summary>
    private const string ClippedPictureText = """
        () => [...document.querySelectorAll('svg.radar-picture')].flatMap(svg => {
          const box = svg.getBoundingClientRect();
          return [...svg.querySelectorAll('text')]
            .filter(t => {
              const r = t.getBoundingClientRect();
              return r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5);
            })
            .map(t => `"${t.textContent}"`);
        })
        """;

    [Fact]
    public async Task Every_page_reflows_at_320_390_768_and_1280_px_and_axe_finds_nothing()
    {
        var problems = new List<string>();
        foreach (var width in Widths)
        {
            foreach (var (app, path) in Pages.Select(p => (site.App, p)).Concat(EditionPages.Select(p => (site.Editions, p))))
            {
                var context = await browser.NewContextAsync(app.BaseAddress, width, bypassCsp: true);
                var page = await context.NewPageAsync();
                await page.GotoAsync(path);
                await CheckAsync(page, $"{path} at {width}px", problems, _ => true);
                await context.CloseAsync();
            }

            await using var newsroom = await NewsroomAsync();
            var widgetContext = await browser.NewContextAsync(newsroom.BaseAddress, width, bypassCsp: true);
            var widgetPage = await widgetContext.NewPageAsync();
            await widgetPage.GotoAsync("/artikel");
            await Assertions.Expect(widgetPage.Locator("radar-widget li").First).ToBeAttachedAsync();
            // The newsroom's own page is not Radar's to judge; the widget in it is.
            await CheckAsync(widgetPage, $"widget at {width}px", problems, v => v.Nodes.Any(n => n.Contains("radar-widget", StringComparison.Ordinal)));
            await widgetContext.CloseAsync();
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static async Task CheckAsync(IPage page, string where, List<string> problems, Func<Axe.Violation, bool> ours)
    {
        if (await page.EvaluateAsync<string?>(PageOverflow) is { } overflow)
        {
            problems.Add($"{where}: {overflow}");
        }

        foreach (var scroller in await page.EvaluateAsync<string[]>(UnlabelledScrollers))
        {
            problems.Add($"{where}: {scroller} scrolls sideways but is not a labelled region with tabindex=0");
        }

        var clipped = await page.EvaluateAsync<string[]>(ClippedPictureText);
        if (clipped.Length > 0)
        {
            problems.Add($"{where}: radar labels cut off: {string.Join(", ", clipped)}");
        }

        foreach (var violation in (await Axe.RunAsync(page)).Where(ours))
        {
            problems.Add($"{where}: {violation}");
        }
    }

    /// <summary>A newsroom's article page on another origin with the widget in it.</summary>
    private async Task<SourceServer> NewsroomAsync()
    {
        var newsroom = await SourceServer.StartAsync();
        var radar = site.App.BaseAddress.GetLeftPart(UriPartial.Authority);
        var html = $"""
            <!DOCTYPE html>
            <html lang="de">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Lokalnachrichten</title></head>
            <body><main><h1>Lokalnachrichten</h1><p>Ein Artikel über die Digitalisierung der Stadt.</p>
            <script src="{radar}/api/widget.js" data-q="wlan" async></script></main></body>
            </html>
            """;
        newsroom.MapContent("/artikel", Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8");
        return newsroom;
    }
}
