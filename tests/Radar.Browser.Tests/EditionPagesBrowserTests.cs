using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UglyToad.PdfPig;

namespace Radar.Browser.Tests;

/// <summary>The radar in time in a real Chromium, on Munich with its five editions (2020: 34
/// measures … 2024: 48): the edition picker, the yearly report and its A4 print, the comparison,
/// a measure's editions. Everything works without JavaScript.</summary>
[Collection(SiteCollection.Name)]
public class EditionPagesBrowserTests(SiteFixture site, BrowserFixture browser)
{
    private static readonly string[] Areas = ["Stadtgesellschaft", "Stadtverwaltung", "Infrastruktur"];

    private async Task<(IPage Page, IResponse Response)> OpenAsync(string path, bool javaScript = false)
    {
        var context = await browser.NewContextAsync(site.Editions.BaseAddress, javaScript: javaScript);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(path);
        Assert.NotNull(response);
        return (page, response);
    }

    [Fact]
    public async Task The_edition_picker_redraws_picture_and_table_as_of_that_edition()
    {
        var (page, _) = await OpenAsync("/");
        var picker = page.GetByRole(AriaRole.Navigation, new() { Name = "Stand:" });
        await Assertions.Expect(picker.GetByRole(AriaRole.Link)).ToHaveTextAsync(["aktuell", "2024", "2023", "2022", "2021", "2020"]);
        await Assertions.Expect(picker.GetByRole(AriaRole.Link, new() { Name = "aktuell" })).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(48);

        await picker.GetByRole(AriaRole.Link, new() { Name = "2020", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"\?edition=2020$"));
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(34);
        await Assertions.Expect(page.Locator("svg.radar-picture a.blip")).ToHaveCountAsync(34);
        await Assertions.Expect(picker.GetByRole(AriaRole.Link, new() { Name = "2020", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(picker.GetByRole(AriaRole.Link, new() { Name = "aktuell" })).Not.ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Digitalisierungsbericht 2019/2020" })).ToBeVisibleAsync();
        // Retired later, so only in the old picture; added later, so only in the new one.
        await Assertions.Expect(page.Locator("table").GetByRole(AriaRole.Link, new() { Name = "Digitale Kontaktnachverfolgung" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("table").GetByRole(AriaRole.Link, new() { Name = "München-App" })).ToHaveCountAsync(0);

        // A filter keeps the edition.
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Infrastruktur \\(") }).ClickAsync();
        await page.WaitForURLAsync(new Regex("edition=2020&area=infrastruktur"));
        var rows = await page.Locator("table tbody tr").CountAsync();
        Assert.InRange(rows, 1, 33);
        Assert.Equal(rows, await page.Locator("svg.radar-picture a.blip").CountAsync());

        await picker.GetByRole(AriaRole.Link, new() { Name = "aktuell" }).ClickAsync();
        await Assertions.Expect(page.Locator("table tbody tr")).ToHaveCountAsync(48);
        await Assertions.Expect(page.Locator("table").GetByRole(AriaRole.Link, new() { Name = "München-App" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task The_report_of_2022_has_its_table_of_contents_areas_downloads_and_neighbours()
    {
        var (page, response) = await OpenAsync("/bericht/2022");
        Assert.Equal(200, response.Status);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Digitalisierungsbericht 2022");
        await Assertions.Expect(page.Locator(".report__meta")).ToContainTextAsync("21. Juli 2022");
        await Assertions.Expect(page.Locator(".report__intro")).ToContainTextAsync("5G-Kleinzellen");
        var toc = page.GetByRole(AriaRole.Navigation, new() { Name = "Inhalt" });
        await Assertions.Expect(toc.GetByRole(AriaRole.Link)).ToHaveTextAsync([.. Areas, "Daten zum Herunterladen"]);
        await Assertions.Expect(page.Locator("section.report-area")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("article.report-measure")).ToHaveCountAsync(38);

        // Each area: counts by status against 2021, and its measures as of 2022.
        var infrastructure = page.Locator("section.report-area", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Infrastruktur", Level = 2 }) });
        await Assertions.Expect(infrastructure.Locator("table thead th")).ToHaveTextAsync(["Status", "2022", "2021", "Veränderung"]);
        var wlan = infrastructure.Locator("article", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Öffentliches WLAN „M-WLAN“" }) });
        await Assertions.Expect(wlan).ToContainTextAsync("In Umsetzung");
        await Assertions.Expect(wlan).ToContainTextAsync("45 %");
        await Assertions.Expect(wlan).ToContainTextAsync("vorher: 35 %");
        await Assertions.Expect(wlan.GetByText("Änderungen seit 2021")).ToBeVisibleAsync();
        // The retired measures are named where they were.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nicht mehr im Radar" }).First).ToBeVisibleAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Digitalisierungsbericht 2022 als JSON" }))
            .ToHaveAttributeAsync("href", new Regex("^http://127\\.0\\.0\\.1:\\d+/api/opendata/muenchen/2022\\.json$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Digitalisierungsbericht 2022 als CSV" }))
            .ToHaveAttributeAsync("href", new Regex("/api/opendata/muenchen/2022\\.csv$"));

        await toc.GetByRole(AriaRole.Link, new() { Name = "Infrastruktur" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("#bereich-infrastruktur$"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Nächster Bericht: Digitalisierungsbericht 2023" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Digitalisierungsbericht 2023");
        await page.GetByRole(AriaRole.Link, new() { Name = "Vorheriger Bericht: Digitalisierungsbericht 2022" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Digitalisierungsbericht 2022");
    }

    [Fact]
    public async Task The_report_prints_as_an_A4_document_with_a_page_per_area_and_its_links_spelt_out()
    {
        var (page, _) = await OpenAsync("/bericht/2022");

        // Kept beside the screenshots (test artifacts) for a look by eye.
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        var pdf = await page.PdfAsync(new PagePdfOptions { Format = "A4", Path = Path.Combine(folder, "bericht-2022.pdf") });

        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().Select(p => (p.Width, p.Height, Text: Squeeze(string.Concat(p.Letters.Select(l => l.Value))))).ToList();
        Assert.True(pages.Count > Areas.Length, $"{pages.Count} pages");
        // A4 (210 × 297 mm) in PostScript points, as Chromium rounds it.
        Assert.All(pages, p => Assert.True(Math.Abs(p.Width - 595.3) < 1.5 && Math.Abs(p.Height - 841.9) < 1.5, $"{p.Width} × {p.Height} pt"));
        Assert.StartsWith(Squeeze("Digitalisierungsradar München Digitalisierungsbericht 2022"), pages[0].Text, StringComparison.Ordinal);
        // No site chrome on paper.
        Assert.DoesNotContain(pages, p => p.Text.Contains(Squeeze("Zum Inhalt springen"), StringComparison.Ordinal) || p.Text.Contains(Squeeze("Brotkrumen"), StringComparison.Ordinal));
        // Each area starts a page of its own.
        foreach (var area in Areas)
        {
            Assert.Contains(pages, p => p.Text.StartsWith(Squeeze(area), StringComparison.Ordinal) && p.Text.Contains(Squeeze($"Maßnahmen in „{area}“ nach Status"), StringComparison.Ordinal));
        }

        var all = string.Concat(pages.Select(p => p.Text));
        Assert.Contains(Squeeze($"({site.Editions.BaseAddress.GetLeftPart(UriPartial.Authority)}/api/opendata/muenchen/2022.json)"), all, StringComparison.Ordinal);
        Assert.Contains(Squeeze($"({site.Editions.BaseAddress.GetLeftPart(UriPartial.Authority)}/massnahmen/oeffentliches-wlan)"), all, StringComparison.Ordinal);
        Assert.Contains(Squeeze("Öffentliches WLAN „M-WLAN“"), all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_comparison_of_2020_and_2024_lists_additions_removals_and_status_moves()
    {
        var (page, response) = await OpenAsync("/vergleich?von=2020&bis=2024");
        Assert.Equal(200, response.Status);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Vergleich: 2020 → 2024");
        var added = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Neu im Radar (16)" }) });
        await Assertions.Expect(added.Locator("li")).ToHaveCountAsync(16);
        await Assertions.Expect(added.GetByRole(AriaRole.Link, new() { Name = "München-App" })).ToBeVisibleAsync();
        var removed = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Nicht mehr im Radar (2)" }) });
        await Assertions.Expect(removed.GetByRole(AriaRole.Link, new() { Name = "Digitale Kontaktnachverfolgung" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Status geändert (18)" })).ToBeVisibleAsync();
        var bauantrag = page.GetByRole(AriaRole.Table, new() { Name = "Maßnahmen mit neuem Status" }).GetByRole(AriaRole.Row, new() { Name = "Digitaler Bauantrag" });
        await Assertions.Expect(bauantrag.Locator("td")).ToHaveTextAsync(["Stadtgesellschaft", "Idee", "→ In Umsetzung"]);
        await Assertions.Expect(page.Locator(".report-summary")).ToContainTextAsync("48 Maßnahmen im Radar (vorher 34)");

        // The form is a plain GET form.
        await page.GetByLabel("von", new() { Exact = true }).SelectOptionAsync("2021");
        await page.GetByLabel("bis", new() { Exact = true }).SelectOptionAsync("2023");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vergleichen" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/vergleich\?von=2021&bis=2023$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Vergleich: 2021 → 2023");
        await Assertions.Expect(page.Locator(".report-summary")).ToContainTextAsync("39 Maßnahmen im Radar (vorher 39)");
    }

    [Fact]
    public async Task Without_parameters_the_comparison_is_the_previous_edition_against_the_newest()
    {
        var (page, _) = await OpenAsync("/vergleich");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Vergleich: 2023 → 2024");
        await Assertions.Expect(page.GetByLabel("von", new() { Exact = true })).ToHaveValueAsync("2023");
        await Assertions.Expect(page.GetByLabel("bis", new() { Exact = true })).ToHaveValueAsync("2024");
    }

    [Fact]
    public async Task A_measure_page_shows_the_measure_in_every_edition_as_a_table()
    {
        var (page, _) = await OpenAsync("/massnahmen/stadtarchiv-digital");

        var table = page.GetByRole(AriaRole.Table, new() { Name = "Stand dieser Maßnahme in jedem Digitalisierungsbericht" });
        await Assertions.Expect(table).ToBeVisibleAsync();
        var rows = table.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(5);
        // In 2021, retired in 2022 and 2023, back in 2024: said in words, not only in colour.
        await Assertions.Expect(rows.Nth(0).Locator("td")).ToHaveTextAsync(["nein", "–", "–"]);
        await Assertions.Expect(rows.Nth(1).Locator("td")).ToHaveTextAsync(["ja", "Idee", "–"]);
        await Assertions.Expect(rows.Nth(2).Locator("td")).ToHaveTextAsync(["nein", "–", "–"]);
        await Assertions.Expect(rows.Nth(4).Locator("td")).ToHaveTextAsync(["ja", "Idee", "–"]);

        await rows.Nth(1).GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Digitalisierungsbericht 2021");
    }

    [Theory]
    [InlineData("/bericht/1999", 404, "Bericht nicht gefunden")]
    [InlineData("/?edition=1999", 404, "Stand nicht gefunden")]
    [InlineData("/vergleich?von=2020-13-45", 400, "Ungültige Angabe für „von“")]
    [InlineData("/vergleich?von=2024&bis=2020", 400, "Ungültige Angabe für „von“")]
    [InlineData("/vergleich?von=2020&bis=2999-01-01", 400, "Ungültige Angabe für „bis“")]
    [InlineData("/vergleich?von=2020&bis=gibt-es-nicht", 404, "Stand nicht gefunden")]
    public async Task Bad_input_gets_a_German_error_page_naming_the_field(string path, int status, string heading)
    {
        var (page, response) = await OpenAsync(path);

        Assert.Equal(status, response.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(heading);
    }

    /// <summary>Text without white space, ligatures spelt out (the PDF writes "ﬀ" for "ff").</summary>
    private static string Squeeze(string text) => Regex.Replace(text.Normalize(NormalizationForm.FormKC), @"\s+", "");
}
