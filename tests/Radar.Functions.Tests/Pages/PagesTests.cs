using System.Net;
using System.Text.RegularExpressions;
using Radar.Pages.Rendering;

namespace Radar.Functions.Tests.Pages;

/// <summary>The pages over real HTTP: security headers on every HTML and asset answer, assets
/// cached by content hash, German texts, sanitised descriptions, and the 404 page.</summary>
public partial class PagesTests(PagesFixture pages) : IClassFixture<PagesFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => pages.App.Client;

    [Theory]
    [InlineData("/", 200)]
    [InlineData("/?radar=musterstadt&group=field", 200)]
    [InlineData("/massnahmen/oeffentliches-wlan", 200)]
    [InlineData("/massnahmen/gibt-es-nicht", 404)]
    [InlineData("/irgendwo", 404)]
    public async Task Every_page_carries_the_security_headers(string path, int status)
    {
        using var response = await Client.GetAsync(path, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        // No inline script and no inline style: every script has a src, no style attributes or elements, no handlers.
        Assert.All(ScriptTag().Matches(html), m => Assert.Contains(" src=", m.Value, StringComparison.Ordinal));
        Assert.DoesNotMatch(@"<style[\s>]", html);
        Assert.DoesNotMatch(@"\sstyle=", html);
        Assert.DoesNotMatch(@"\son[a-z]+=", html);
        Assert.StartsWith("<!DOCTYPE html>", html.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("<html lang=\"de\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_are_self_hosted_and_cached_by_their_content_hash()
    {
        var home = await Client.GetStringAsync("/", Ct);
        var urls = AssetUrl().Matches(home).Select(m => m.Groups["url"].Value).Distinct().ToList();

        Assert.Equal(3, urls.Count); // site.css, print.css, site.js
        Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", home);
        foreach (var url in urls)
        {
            using var response = await Client.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("immutable", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        using var css = await Client.GetAsync(urls.Single(u => u.EndsWith(".css", StringComparison.Ordinal) && u.Contains("/site.", StringComparison.Ordinal)), Ct);
        using var js = await Client.GetAsync(urls.Single(u => u.EndsWith(".js", StringComparison.Ordinal)), Ct);
        using var plain = await Client.GetAsync("/static/site.css", Ct);
        using var old = await Client.GetAsync("/static/site.000000000000.css", Ct);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/static/site.css");
        conditional.Headers.IfNoneMatch.Add(plain.Headers.ETag!);
        using var notModified = await Client.SendAsync(conditional, Ct);
        using var missing = await Client.GetAsync("/static/fehlt.css", Ct);
        using var traversal = await Client.GetAsync("/static/..%2F..%2Fappsettings.json", Ct);

        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", plain.Headers.CacheControl?.ToString());
        Assert.Equal("no-cache", old.Headers.CacheControl?.ToString());
        Assert.Equal(await css.Content.ReadAsStringAsync(Ct), await old.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
    }

    [Fact]
    public async Task The_home_page_lists_the_latest_changes_in_German()
    {
        var html = WebUtility.HtmlDecode(await Client.GetStringAsync("/", Ct));

        Assert.Contains("Öffentliches WLAN „M-WLAN“: Status von „In Umsetzung“ zu „Umgesetzt“", html, StringComparison.Ordinal);
        Assert.Matches(@"<time datetime=""\d{4}-\d\d-\d\dT[\d:]+Z"">\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}</time>", html);
        Assert.Contains("E-Akte", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_narrow_the_table_the_picture_and_the_changes()
    {
        var all = WebUtility.HtmlDecode(await Client.GetStringAsync("/", Ct));
        var infra = WebUtility.HtmlDecode(await Client.GetStringAsync("/?area=infrastruktur", Ct));
        var administration = WebUtility.HtmlDecode(await Client.GetStringAsync("/?area=stadtverwaltung&status=umgesetzt", Ct));
        var department = WebUtility.HtmlDecode(await Client.GetStringAsync("/?department=Stadtwerke+M%C3%BCnchen", Ct));

        Assert.Equal(48, TableRows(all));
        Assert.Equal(48, Blips(all));
        Assert.Equal(16, TableRows(infra));
        Assert.Equal(16, Blips(infra));
        Assert.Contains("Öffentliches WLAN „M-WLAN“: Status", infra, StringComparison.Ordinal);
        Assert.DoesNotContain("Öffentliches WLAN „M-WLAN“: Status", administration, StringComparison.Ordinal);
        Assert.Equal(TableRows(administration), Blips(administration));
        Assert.InRange(TableRows(administration), 1, 12);
        Assert.Equal(7, TableRows(department));
        Assert.Contains("<option value=\"Stadtwerke München\" selected>", department, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_measure_page_shows_every_part_of_a_measure()
    {
        var html = WebUtility.HtmlDecode(await Client.GetStringAsync("/massnahmen/oeffentliches-wlan", Ct));

        Assert.Contains("<h1>Öffentliches WLAN „M-WLAN“</h1>", html, StringComparison.Ordinal);
        foreach (var heading in new[] { "Beschreibung", "Ziele", "Erfolge", "Highlights", "Ausblick", "Kennzahlen", "Verlauf", "Steckbrief" })
        {
            Assert.Matches($@"<h2 id=""[a-z]+"">{heading}</h2>", html);
        }

        Assert.Contains("In Betrieb für alle, die es betrifft.", html, StringComparison.Ordinal); // what the status means
        Assert.Contains("<progress max=\"100\" value=\"100\"", html, StringComparison.Ordinal);
        Assert.Contains("Status von „In Umsetzung“ zu „Umgesetzt“ geändert", html, StringComparison.Ordinal);
        Assert.Matches(@"<dt>Fortschritt</dt>\s*<dd><span class=""old""><span class=""visually-hidden"">vorher: </span>70 %</span>", html);
        Assert.Contains("In das Radar aufgenommen", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/suche?tag=WLAN\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"kpi-chart\" role=\"img\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/feed.rss?measure=oeffentliches-wlan\"", html, StringComparison.Ordinal);
        Assert.Matches(@"href=""mailto:\?subject=Digitalisierungsradar%3A%20%C3%96ffentliches%20WLAN[^""]*&body=[^""]*http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fmassnahmen%2Foeffentliches-wlan""", html);
        Assert.Contains("media=\"print\"", html, StringComparison.Ordinal);
        Assert.Contains("IT-Referat", html, StringComparison.Ordinal);
        Assert.Contains("Digitale Infrastruktur", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_description_that_tries_to_run_script_is_shown_sanitised()
    {
        var html = await Client.GetStringAsync($"/massnahmen/{PagesFixture.HostileMeasure}", Ct);
        var description = Regex.Match(html, @"<div class=""prose"">(?<d>.*?)</div>", RegexOptions.Singleline).Groups["d"].Value;

        Assert.Contains("<p>Akte <b>digital</b>.</p>", description, StringComparison.Ordinal);
        Assert.Contains("Ende", description, StringComparison.Ordinal);
        Assert.DoesNotContain("pwned", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<iframe", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        Assert.All(ScriptTag().Matches(html), m => Assert.Contains(" src=", m.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_measure_gets_a_German_404_page_and_a_malformed_radar_a_400_page()
    {
        using var response = await Client.GetAsync("/massnahmen/gibt-es-nicht", Ct);
        using var badRadar = await Client.GetAsync("/massnahmen/oeffentliches-wlan?radar=Nicht%20G%C3%BCltig", Ct);
        using var otherRadar = await Client.GetAsync("/massnahmen/oeffentliches-wlan?radar=musterstadt", Ct);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<h1>Maßnahme nicht gefunden</h1>", html, StringComparison.Ordinal);
        Assert.Contains("„gibt-es-nicht“", html, StringComparison.Ordinal);
        Assert.Contains("<title>Maßnahme nicht gefunden – Digitalisierungsradar</title>", html, StringComparison.Ordinal);
        // A radar id that cannot be one is a wrong address, not a missing measure: the German 400 page.
        Assert.Equal(HttpStatusCode.BadRequest, badRadar.StatusCode);
        Assert.Contains("Ungültige Adresse", WebUtility.HtmlDecode(await badRadar.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherRadar.StatusCode);
    }

    [Fact]
    public async Task Measures_of_another_radar_have_pages_linked_with_the_radar_id()
    {
        var home = WebUtility.HtmlDecode(await Client.GetStringAsync("/?radar=musterstadt", Ct));
        using var measure = await Client.GetAsync("/massnahmen/buergerkonto?radar=musterstadt", Ct);
        var html = WebUtility.HtmlDecode(await measure.Content.ReadAsStringAsync(Ct));

        Assert.Contains("<h1>Digitalstrategie Musterstadt</h1>", home, StringComparison.Ordinal);
        Assert.Contains("href=\"/massnahmen/buergerkonto?radar=musterstadt\"", home, StringComparison.Ordinal);
        Assert.Contains("href=\"/?radar=musterstadt&area=verwaltung\"", home, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, measure.StatusCode);
        Assert.Contains("Bürgerkonto und Online-Anträge", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/feed.rss?measure=buergerkonto&radar=musterstadt\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_asset_the_pages_name_is_embedded()
    {
        var assets = new StaticAssets();

        Assert.Equal(["embed.css", "embed.js", "print.css", "site.css", "site.js", "widget.js"], assets.All.Select(a => a.Name).Order());
        Assert.All(assets.All, a => Assert.Matches("^[0-9a-f]{12}$", a.Hash));
        Assert.Same(assets.Find("site.css", out _), assets.Find(assets.All.Single(a => a.Name == "site.css").VersionedName, out var current));
        Assert.True(current);
    }

    private static int TableRows(string html) =>
        Regex.Match(html, "<tbody>(?<rows>.*?)</tbody>", RegexOptions.Singleline).Groups["rows"].Value.Split("<tr>").Length - 1;

    private static int Blips(string html) => Regex.Count(html, @"<a href=""[^""]+"" class=""blip""");

    [GeneratedRegex(@"<script\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"(?:href|src)=""(?<url>/static/[^""]+)""")]
    private static partial Regex AssetUrl();
}
