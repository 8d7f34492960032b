using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Radar.Browser.Tests;

/// <summary>The search page and the instant search in a real Chromium: from the home page's box
/// to hits, facets, paging, sorting, "did you mean" and the matching feed; the combobox with the
/// keyboard alone.</summary>
[Collection(SiteCollection.Name)]
public class SearchBrowserTests(SiteFixture site, BrowserFixture browser)
{
    private const string WlanTitle = "Öffentliches WLAN „M-WLAN“";

    private async Task<IPage> OpenAsync(string path, int width = BrowserFixture.DesktopWidth, bool javaScript = true, bool bypassCsp = false)
    {
        var context = await browser.NewContextAsync(site.App.BaseAddress, width, javaScript, bypassCsp);
        var page = await context.NewPageAsync();
        Assert.NotNull(await page.GotoAsync(path));
        return page;
    }

    [Fact]
    public async Task Searching_WLAN_from_the_home_page_puts_the_WLAN_measure_first_and_a_facet_narrows()
    {
        var page = await OpenAsync("/", javaScript: false);

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Maßnahmen und Nachrichten durchsuchen" }).FillAsync("WLAN");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suchen" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/suche\?q=WLAN$"));

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Suche nach „WLAN“");
        var hits = page.Locator("ol.hits > li");
        await Assertions.Expect(hits.First.Locator(".hit__title")).ToHaveTextAsync(WlanTitle);
        await Assertions.Expect(hits.First.Locator(".hit__title a")).ToHaveAttributeAsync("href", "/massnahmen/oeffentliches-wlan");
        // The hit is highlighted: the matched word is marked in the snippet.
        Assert.Contains(await hits.First.Locator("mark").AllTextContentsAsync(), t => t.Equals("WLAN", StringComparison.OrdinalIgnoreCase));
        // Hits of the Musterstadt radar are labelled with its own labels, not its ids.
        var text = await page.Locator("main").InnerTextAsync();
        Assert.Contains("Umwelt & Mobilität", text, StringComparison.Ordinal);
        Assert.DoesNotContain("umwelt-mobilitaet", text, StringComparison.Ordinal);
        var all = await hits.CountAsync();
        Assert.True(all >= 3, $"{all} hits");
        Assert.Equal("WLAN", await page.GetByRole(AriaRole.Searchbox, new() { Name = "Maßnahmen und Nachrichten durchsuchen" }).InputValueAsync());

        // The news facet narrows to the two WLAN news items.
        await page.Locator("ul[aria-labelledby='facette-type']").GetByRole(AriaRole.Link, new() { Name = "Nachricht" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/suche\?q=WLAN&type=news$"));
        await Assertions.Expect(hits).ToHaveCountAsync(2);
        Assert.All(await hits.Locator(".hit__meta .tag").AllTextContentsAsync(), t => Assert.Equal("Nachricht", t));
        await Assertions.Expect(hits.Locator(".hit__title").Filter(new() { HasText = SiteFixture.WlanNewsTitle })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Filter entfernen: Nachricht" })).ToHaveAttributeAsync("href", "/suche?q=WLAN");

        // The RSS link is the feed of the same selection, and that feed has the same news.
        var rss = page.GetByRole(AriaRole.Link, new() { Name = "Diese Suche als RSS abonnieren" });
        await Assertions.Expect(rss).ToHaveAttributeAsync("href", "/api/feed.rss?q=WLAN&type=news");
        Assert.Equal("/api/feed.rss?q=WLAN&type=news", await page.Locator("link[rel=alternate][type='application/rss+xml']").GetAttributeAsync("href"));
        var feed = await page.APIRequest.GetAsync("/api/feed.rss?q=WLAN&type=news");
        Assert.Equal(200, feed.Status);
        var xml = await feed.TextAsync();
        Assert.Contains(SiteFixture.WlanNewsTitle, xml, StringComparison.Ordinal);
        Assert.DoesNotContain(SiteFixture.HostileNewsTitle, xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paging_and_sorting_work_without_JavaScript()
    {
        var page = await OpenAsync("/suche?type=measure", javaScript: false);

        await Assertions.Expect(page.Locator(".search-summary")).ToHaveTextAsync(new Regex(@"^\d+ Treffer, Seite 1 von \d+\.$"));
        var firstPage = await page.Locator("ol.hits .hit__title").AllTextContentsAsync();
        Assert.Equal(10, firstPage.Count);

        await page.GetByRole(AriaRole.Link, new() { Name = "Nächste Seite" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"type=measure&page=2$"));
        await Assertions.Expect(page.Locator(".search-summary")).ToHaveTextAsync(new Regex(@"Seite 2 von"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Seite 2", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        Assert.Equal("11", await page.Locator("ol.hits").GetAttributeAsync("start"));
        var secondPage = await page.Locator("ol.hits .hit__title").AllTextContentsAsync();
        Assert.Empty(firstPage.Intersect(secondPage));

        // Sorting by date starts again at page 1 and keeps the filter.
        await page.GetByRole(AriaRole.Link, new() { Name = "Datum" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/suche\?type=measure&sort=date$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Datum" })).ToHaveAttributeAsync("aria-current", "true");
        var dates = await page.Locator("ol.hits time").EvaluateAllAsync<string[]>("ts => ts.map(t => t.getAttribute('datetime'))");
        Assert.Equal(dates.OrderDescending(StringComparer.Ordinal), dates);
    }

    [Fact]
    public async Task A_misspelling_is_searched_as_the_word_it_misses_and_a_broken_query_gets_a_German_message()
    {
        var page = await OpenAsync("/suche?q=Bibliotek", javaScript: false);

        // One edit from a word the index has: its hits are shown, and the page says what was typed.
        await Assertions.Expect(page.Locator(".corrected")).ToHaveTextAsync("Ergebnisse für Bibliothek — gesucht war Bibliotek");
        await Assertions.Expect(page.Locator(".did-you-mean")).ToHaveCountAsync(0);
        Assert.True(await page.Locator("ol.hits > li").CountAsync() > 0);

        var response = await page.GotoAsync("/suche?q=x&type=nonsense");
        Assert.Equal(400, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Diese Suche können wir so nicht ausführen");
    }

    [Fact]
    public async Task Instant_search_suggests_as_you_type_and_works_with_the_keyboard_alone()
    {
        var page = await OpenAsync("/");
        var box = page.GetByRole(AriaRole.Combobox, new() { Name = "Maßnahmen und Nachrichten durchsuchen" });
        await Assertions.Expect(box).ToHaveAttributeAsync("aria-expanded", "false");

        await box.FocusAsync();
        await page.Keyboard.TypeAsync("wla", new() { Delay = 40 });
        var list = page.GetByRole(AriaRole.Listbox, new() { Name = "Vorschläge" });
        await Assertions.Expect(list).ToBeVisibleAsync();
        await Assertions.Expect(box).ToHaveAttributeAsync("aria-expanded", "true");
        var options = list.GetByRole(AriaRole.Option);
        Assert.True(await options.CountAsync() > 0);
        Assert.Contains(await options.AllTextContentsAsync(), t => t.Contains("WLAN", StringComparison.OrdinalIgnoreCase));

        await page.Keyboard.PressAsync("ArrowDown");
        var first = options.First;
        await Assertions.Expect(first).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(box).ToHaveAttributeAsync("aria-activedescendant", (await first.GetAttributeAsync("id"))!);
        await Assertions.Expect(box).ToBeFocusedAsync();

        // Escape closes the list; typing opens it again; Enter on an option follows it.
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(list).ToBeHiddenAsync();
        await page.Keyboard.TypeAsync("n", new() { Delay = 40 });
        await Assertions.Expect(list).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        var chosen = await options.First.EvaluateAsync<string>("o => o.firstChild.textContent");
        Assert.Contains("wlan", chosen, StringComparison.OrdinalIgnoreCase);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/(suche|massnahmen)"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(chosen);
    }

    [Fact]
    public async Task Hostile_news_content_executes_nothing_on_the_search_page()
    {
        var page = await OpenAsync("/suche?q=Akte");

        await Assertions.Expect(page.Locator("ol.hits .hit__title").Filter(new() { HasText = SiteFixture.HostileNewsTitle })).ToHaveCountAsync(1);
        Assert.Equal(0, await page.Locator("ol.hits script, ol.hits img, ol.hits svg").CountAsync());
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.pwned"));
    }

    [Fact]
    public async Task Axe_finds_no_violations_on_the_search_page_with_suggestions_open()
    {
        var problems = new List<string>();
        foreach (var width in new[] { BrowserFixture.DesktopWidth, BrowserFixture.PhoneWidth })
        {
            var page = await OpenAsync("/suche?q=wlan", width, bypassCsp: true);
            problems.AddRange((await Axe.RunAsync(page)).Select(v => $"/suche?q=wlan at {width}px: {v}"));
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"/suche scrolls sideways at {width}px");

            await page.GetByRole(AriaRole.Combobox).FillAsync("hots");
            await Assertions.Expect(page.GetByRole(AriaRole.Listbox)).ToBeVisibleAsync();
            await page.Keyboard.PressAsync("ArrowDown");
            problems.AddRange((await Axe.RunAsync(page)).Select(v => $"suggestions at {width}px: {v}"));
            await page.Context.CloseAsync();
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
