using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Radar.Browser.Tests;

/// <summary>The newsroom side: a page on another origin (a second loopback Kestrel) embeds the
/// widget script and the oEmbed iframe, and sees Radar's entries — through CORS, in Shadow DOM,
/// themed by the newsroom's CSS custom properties, resized by postMessage.</summary>
[Collection(SiteCollection.Name)]
public class WidgetBrowserTests(SiteFixture site, BrowserFixture browser)
{
    private static readonly Regex GermanDate = new(@"^\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}$");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Radar => site.App.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>The newsroom's page on its own origin, with <paramref name="body"/> in it. Its
    /// styles try to reach into the widget (they must not) and set its custom properties (they must).</summary>
    private static async Task<SourceServer> NewsroomAsync(string body)
    {
        var newsroom = await SourceServer.StartAsync();
        var html = $$"""
            <!DOCTYPE html>
            <html lang="de">
            <head><meta charset="utf-8"><title>Lokalnachrichten</title>
            <style>
              li { display: none; }
              radar-widget { --radar-link: rgb(160, 0, 0); margin: 1rem 0; }
            </style></head>
            <body><main><h1>Lokalnachrichten</h1>{{body}}</main></body>
            </html>
            """;
        newsroom.MapContent("/artikel", Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8");
        return newsroom;
    }

    private async Task<IPage> OpenAsync(SourceServer newsroom, bool bypassCsp = false)
    {
        var context = await browser.NewContextAsync(newsroom.BaseAddress, bypassCsp: bypassCsp);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/artikel");
        return page;
    }

    [Fact]
    public async Task The_widget_on_another_origin_renders_the_latest_matching_entries_in_its_shadow_DOM()
    {
        await using var newsroom = await NewsroomAsync(
            $"""<script src="{Radar}/api/widget.js" data-q="wlan" data-limit="3" async></script>""");
        var expected = await site.App.Client.GetFromJsonAsync<JsonObject>("api/changes?q=wlan&limit=3", Ct);
        var titles = expected!["items"]!.AsArray().Select(i => (string)i!["title"]!).ToList();
        Assert.Equal(3, titles.Count);
        Assert.Contains(SiteFixture.WlanNewsTitle, titles);

        var page = await OpenAsync(newsroom);

        var widget = page.Locator("radar-widget");
        var items = widget.Locator("li");
        await Assertions.Expect(items).ToHaveCountAsync(3);
        Assert.Equal(titles, await widget.Locator("li a").AllTextContentsAsync());
        Assert.True(await widget.EvaluateAsync<bool>("w => w.shadowRoot !== null && w.shadowRoot.querySelector('ol') !== null"));
        // The newsroom's `li { display: none }` does not reach in; its custom property does.
        await Assertions.Expect(items.First).ToBeVisibleAsync();
        Assert.Equal("rgb(160, 0, 0)", await widget.Locator("li a").First.EvaluateAsync<string>("a => getComputedStyle(a).color"));
        Assert.All(await widget.Locator("li time").AllTextContentsAsync(), date => Assert.Matches(GermanDate, date));
        // Every entry links back (changes to Radar's measure pages, news to the article), and so does "Mehr".
        var change = widget.Locator("li a").Filter(new() { HasText = "Öffentliches WLAN" }).First;
        Assert.StartsWith(Radar + "/massnahmen/oeffentliches-wlan", await change.EvaluateAsync<string>("a => a.href"), StringComparison.Ordinal);
        Assert.Equal(Radar + "/suche?q=wlan", await widget.GetByRole(AriaRole.Link, new() { Name = "Mehr im Digitalisierungsradar" }).EvaluateAsync<string>("a => a.href"));
        await Assertions.Expect(widget.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync("wlan");
    }

    [Fact]
    public async Task Two_widgets_with_different_filters_and_hostile_news_run_nothing()
    {
        await using var newsroom = await NewsroomAsync(
            $"""
            <section><h2>Infrastruktur</h2><script src="{Radar}/api/widget.js" data-area="infrastruktur" data-limit="4" async></script></section>
            <section><h2>E-Akte</h2><script src="{Radar}/api/widget.js" data-q="Akte" async></script></section>
            """);
        var page = await OpenAsync(newsroom);

        var widgets = page.Locator("radar-widget");
        await Assertions.Expect(widgets).ToHaveCountAsync(2);
        await Assertions.Expect(widgets.Nth(0).Locator("li")).ToHaveCountAsync(4);
        var infrastructure = await page.Context.APIRequest.GetAsync($"{Radar}/api/changes?area=infrastruktur&limit=4");
        var expected = (await infrastructure.JsonAsync())!.Value.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToList();
        Assert.Equal(expected, await widgets.Nth(0).Locator("li a").AllTextContentsAsync());

        var akte = widgets.Nth(1).Locator("li a").Filter(new() { HasText = SiteFixture.HostileNewsTitle });
        await Assertions.Expect(akte).ToHaveCountAsync(1);
        Assert.Equal("https://news.example/e-akte-kvr", await akte.GetAttributeAsync("href"));
        Assert.Equal(0, await widgets.Nth(1).EvaluateAsync<int>("w => w.shadowRoot.querySelectorAll('script, img, svg, iframe').length"));
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.pwned"));
    }

    [Fact]
    public async Task A_pasted_measure_URL_embeds_through_oEmbed_as_an_iframe_that_fits_its_content()
    {
        var measureUrl = $"{Radar}/massnahmen/oeffentliches-wlan";
        using var response = await site.App.Client.GetAsync("api/oembed?url=" + Uri.EscapeDataString(measureUrl), Ct);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var oembed = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.Equal("rich", (string?)oembed["type"]);
        Assert.Equal("1.0", (string?)oembed["version"]);
        Assert.Equal("Digitalisierungsradar", (string?)oembed["provider_name"]);
        var html = (string)oembed["html"]!;
        Assert.Contains($"src=\"{Radar}/embed?measure=oeffentliches-wlan\"", html, StringComparison.Ordinal);

        await using var newsroom = await NewsroomAsync(html);
        var page = await OpenAsync(newsroom);

        var frame = page.FrameLocator("iframe[data-radar-embed]");
        await Assertions.Expect(frame.GetByRole(AriaRole.Link, new() { Name = SiteFixture.WlanNewsTitle })).ToBeVisibleAsync();
        await Assertions.Expect(frame.GetByRole(AriaRole.Link, new() { Name = "Mehr im Digitalisierungsradar" })).ToHaveAttributeAsync("href", measureUrl);
        // The frame told the newsroom its height, and the newsroom's iframe took it.
        var iframe = page.Locator("iframe[data-radar-embed]");
        var content = await frame.Locator("html").EvaluateAsync<double>("h => Math.ceil(h.getBoundingClientRect().height)");
        await Assertions.Expect(iframe).ToHaveAttributeAsync("style", new Regex($@"height: {content}px"));
        Assert.NotEqual((int)oembed["height"]!, (int)content);
    }

    [Fact]
    public async Task oEmbed_refuses_other_sites_and_formats_and_the_pages_advertise_it()
    {
        using var foreign = await site.App.Client.GetAsync("api/oembed?url=" + Uri.EscapeDataString("https://example.org/massnahmen/oeffentliches-wlan"), Ct);
        Assert.Equal(404, (int)foreign.StatusCode);
        using var xml = await site.App.Client.GetAsync("api/oembed?format=xml&url=" + Uri.EscapeDataString($"{Radar}/"), Ct);
        Assert.Equal(501, (int)xml.StatusCode);
        using var unknown = await site.App.Client.GetAsync("api/oembed?url=" + Uri.EscapeDataString($"{Radar}/massnahmen/gibt-es-nicht"), Ct);
        Assert.Equal(404, (int)unknown.StatusCode);

        // The search page's discovery link leads to an embed of the same search.
        var context = await browser.NewContextAsync(site.App.BaseAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/suche?q=wlan&type=news");
        var discovery = await page.Locator("link[rel=alternate][type='application/json+oembed']").GetAttributeAsync("href");
        var answer = await page.APIRequest.GetAsync(discovery!);
        Assert.Equal(200, answer.Status);
        var html = (await answer.JsonAsync())!.Value.GetProperty("html").GetString()!;
        Assert.Contains("/embed?q=wlan&amp;type=news", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_embed_page_may_be_framed_and_axe_finds_nothing_there_or_in_the_widget()
    {
        var context = await browser.NewContextAsync(site.App.BaseAddress, bypassCsp: true);
        var page = await context.NewPageAsync();
        var embed = await page.GotoAsync("/embed?q=wlan");
        Assert.Contains("frame-ancestors *", await embed!.HeaderValueAsync("content-security-policy"), StringComparison.Ordinal);
        Assert.Null(await embed.HeaderValueAsync("x-frame-options"));
        var problems = (await Axe.RunAsync(page)).Select(v => $"/embed: {v}").ToList();
        var home = await page.GotoAsync("/");
        Assert.Contains("frame-ancestors 'none'", await home!.HeaderValueAsync("content-security-policy"), StringComparison.Ordinal);

        await using var newsroom = await NewsroomAsync($"""<script src="{Radar}/api/widget.js" data-q="wlan" async></script>""");
        var widgetPage = await OpenAsync(newsroom, bypassCsp: true);
        await Assertions.Expect(widgetPage.Locator("radar-widget li").First).ToBeAttachedAsync();
        problems.AddRange((await Axe.RunAsync(widgetPage)).Where(v => v.Nodes.Any(n => n.Contains("radar-widget", StringComparison.Ordinal))).Select(v => $"widget: {v}"));

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
