using System.Net;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Measures;
using Radar.Pages.Picture;

namespace Radar.Functions.Tests.Pages;

/// <summary>The radar picture: blips never overlap (samples and crowded synthetic radars, 3 to
/// 20 sectors), the same data gives the same picture, and <c>/api/radar.svg</c> is an accessible,
/// linked, filterable, cacheable image.</summary>
public class RadarPictureTests(PagesFixture pages) : IClassFixture<PagesFixture>
{
    private static readonly XNamespace Svg = Radar.Pages.Picture.Svg.Namespace;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<FilteredRadar> SampleAsync(string radarId, RadarGrouping grouping)
    {
        var view = await pages.App.Services.GetRequiredService<RadarQueries>().GetRadarAsync(radarId, Ct);
        Assert.NotNull(view);
        return RadarPictureBuilder.Build(view, RadarFilter.None with { Grouping = grouping });
    }

    private static void AssertNoOverlaps(RadarGeometry geometry, int expected)
    {
        Assert.Equal(expected, geometry.Items.Count);
        Assert.Equal(expected, geometry.Items.Select(i => i.Item.Id).Distinct().Count());
        for (var i = 0; i < geometry.Items.Count; i++)
        {
            var a = geometry.Items[i];
            var fromCentre = Math.Sqrt(Math.Pow(a.X - geometry.CenterX, 2) + Math.Pow(a.Y - geometry.CenterY, 2));
            Assert.True(fromCentre + geometry.BlipRadius <= geometry.Radius + 0.01, $"{a.Item.Id} sticks out of the radar");
            Assert.True(fromCentre - geometry.BlipRadius >= geometry.InnerRadius - 0.01, $"{a.Item.Id} is in the centre hole");
            for (var j = i + 1; j < geometry.Items.Count; j++)
            {
                var b = geometry.Items[j];
                var distance = Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2));
                Assert.True(distance >= 2 * geometry.BlipRadius,
                    $"{a.Item.Id} and {b.Item.Id} overlap: {distance:0.0} apart, blips of radius {geometry.BlipRadius:0.0}");
            }
        }
    }

    [Theory]
    [InlineData("muenchen", RadarGrouping.Area, 48, 3)]
    [InlineData("muenchen", RadarGrouping.Field, 48, 14)]
    [InlineData("musterstadt", RadarGrouping.Area, 9, 4)]
    [InlineData("musterstadt", RadarGrouping.Field, 9, 8)]
    public async Task No_two_blips_of_a_sample_radar_overlap(string radarId, RadarGrouping grouping, int measures, int sectors)
    {
        var radar = await SampleAsync(radarId, grouping);
        var geometry = RadarSvg.Layout(radar.Picture(forPage: false));

        Assert.Equal(sectors, radar.Sectors.Count);
        AssertNoOverlaps(geometry, measures);
        // Still readable: a two-digit number fits into a blip of this size.
        Assert.True(geometry.BlipRadius >= 8, $"blips shrank to {geometry.BlipRadius:0.0}");
    }

    [Theory]
    [InlineData(9, 4, 90, 1)]
    [InlineData(12, 5, 150, 2)]
    [InlineData(20, 3, 120, 3)]
    [InlineData(1, 4, 40, 4)]
    public void No_two_blips_overlap_on_crowded_radars(int sectorCount, int ringCount, int measures, int seed)
    {
        var random = new Random(seed);
        var sectors = Enumerable.Range(1, sectorCount).Select(i => new RadarSector($"s{i}", $"Handlungsfeld {i}")).ToList();
        var rings = Enumerable.Range(1, ringCount).Select(i => new RadarRing($"r{i}", $"Ring {i}", null)).ToList();
        // Skewed on purpose: half of everything in one sector's innermost ring.
        var items = Enumerable.Range(1, measures)
            .Select(n => new RadarItem($"m{n}", $"Maßnahme {n}",
                n % 2 == 0 ? "s1" : sectors[random.Next(sectorCount)].Id,
                n % 2 == 0 ? "r1" : rings[random.Next(ringCount)].Id,
                n, n % 7 == 0, n % 5 == 0, $"/massnahmen/m{n}"))
            .ToList();

        var geometry = RadarSvg.Layout(new RadarPictureModel("Test", "Test", sectors, rings, items));

        AssertNoOverlaps(geometry, measures);
    }

    [Fact]
    public async Task The_same_data_gives_the_same_picture()
    {
        var radar = await SampleAsync("muenchen", RadarGrouping.Field);
        var model = radar.Picture(forPage: false);
        var shuffled = model with { Items = [.. model.Items.Reverse()] };

        var first = RadarSvg.Write(model, new RadarSvgOptions());
        var second = RadarSvg.Write(shuffled, new RadarSvgOptions());
        using var a = await pages.App.Client.GetAsync("/api/radar.svg?group=field", Ct);
        using var b = await pages.App.Client.GetAsync("/api/radar.svg?group=field", Ct);

        Assert.Equal(first, second);
        Assert.Equal(await a.Content.ReadAsByteArrayAsync(Ct), await b.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(a.Headers.ETag, b.Headers.ETag);
    }

    [Fact]
    public async Task The_svg_is_an_accessible_image_with_a_link_and_title_per_measure()
    {
        using var response = await pages.App.Client.GetAsync("/api/radar.svg", Ct);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Root!;
        var links = svg.Descendants(Svg + "a").ToList();
        var labelledBy = ((string)svg.Attribute("aria-labelledby")!).Split(' ');

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("img", (string?)svg.Attribute("role"));
        Assert.Equal("Digitalisierungsradar München", svg.Elements(Svg + "title").Single().Value);
        Assert.Equal(labelledBy, svg.Elements().Where(e => e.Name == Svg + "title" || e.Name == Svg + "desc").Select(e => (string)e.Attribute("id")!));
        Assert.Contains("48 Maßnahmen in 3 Bereichen", svg.Element(Svg + "desc")!.Value, StringComparison.Ordinal);
        Assert.Equal(48, links.Count);
        Assert.All(links, l => Assert.StartsWith("/massnahmen/", (string?)l.Attribute("href"), StringComparison.Ordinal));
        var wlan = links.Single(l => (string?)l.Attribute("href") == "/massnahmen/oeffentliches-wlan");
        Assert.Matches(@"^\d+\. Öffentliches WLAN „M-WLAN“ – Umgesetzt", wlan.Element(Svg + "title")!.Value);
        // Every ring is in the legend; status is never colour alone (shape and ring too).
        Assert.All(["Umgesetzt", "In Umsetzung", "In Planung", "Idee", "neu", "Status kürzlich geändert"],
            label => Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == label));
    }

    [Fact]
    public async Task Filters_narrow_the_picture_and_other_radars_link_with_their_id()
    {
        var infrastructure = XDocument.Parse(await pages.App.Client.GetStringAsync("/api/radar.svg?area=infrastruktur&status=in-umsetzung", Ct)).Root!;
        var muster = XDocument.Parse(await pages.App.Client.GetStringAsync("/api/radar.svg?radar=musterstadt&group=field", Ct)).Root!;
        var byDepartment = XDocument.Parse(await pages.App.Client.GetStringAsync("/api/radar.svg?department=Stadtwerke%20M%C3%BCnchen", Ct)).Root!;
        using var badArea = await pages.App.Client.GetAsync("/api/radar.svg?area=mond", Ct);
        using var badGroup = await pages.App.Client.GetAsync("/api/radar.svg?group=farbe", Ct);

        var infraMeasures = (await pages.App.Services.GetRequiredService<RadarQueries>().GetRadarAsync(null, Ct))!.Measures
            .Where(m => m.Area == "infrastruktur" && m.Status == "in-umsetzung").Select(m => m.Url).Order().ToList();
        Assert.Equal(infraMeasures, infrastructure.Descendants(Svg + "a").Select(a => (string)a.Attribute("href")!).Order());
        Assert.Contains("– Infrastruktur, In Umsetzung", infrastructure.Element(Svg + "title")!.Value, StringComparison.Ordinal);
        Assert.Equal(9, muster.Descendants(Svg + "a").Count());
        Assert.All(muster.Descendants(Svg + "a"), a => Assert.EndsWith("?radar=musterstadt", (string?)a.Attribute("href"), StringComparison.Ordinal));
        Assert.Equal(7, byDepartment.Descendants(Svg + "a").Count());
        Assert.Equal(HttpStatusCode.BadRequest, badArea.StatusCode);
        Assert.Contains("mond", await badArea.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badGroup.StatusCode);
    }

    [Fact]
    public async Task The_picture_is_cached_by_an_etag_from_its_data()
    {
        using var first = await pages.App.Client.GetAsync("/api/radar.svg?area=stadtverwaltung", Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/radar.svg?area=stadtverwaltung");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var again = await pages.App.Client.SendAsync(request, Ct);
        using var other = await pages.App.Client.GetAsync("/api/radar.svg?area=infrastruktur", Ct);

        Assert.NotNull(first.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync(Ct));
        Assert.NotEqual(first.Headers.ETag, other.Headers.ETag);
        Assert.Equal("*", first.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("max-age", first.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }
}
