using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Patterns;
using Radar.Functions.Site;
using Radar.Local.Functions;

namespace Radar.Functions.Tests.Pages;

/// <summary>The catch-all 404 page must never take a request meant for another function: the
/// Functions host tries routes in the order of the functions' names, not by how specific they are.</summary>
public class PageRoutingTests(PagesFixture pages) : IClassFixture<PagesFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The regex of the catch-all, as the route template carries it.</summary>
    private static Regex CatchAll()
    {
        var pattern = RoutePatternFactory.Parse(PageRoutes.NotFound);
        var parameter = Assert.Single(pattern.Parameters);
        Assert.True(parameter.IsCatchAll);
        var policy = Assert.Single(parameter.ParameterPolicies);
        var match = Regex.Match(policy.Content!, @"^regex\((?<re>.*)\)$");
        Assert.True(match.Success, policy.Content);
        // As ASP.NET Core's regex constraint matches: case-insensitive, invariant.
        return new Regex(match.Groups["re"].Value, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    [Fact]
    public void The_catch_all_matches_no_path_of_any_other_function()
    {
        var catchAll = CatchAll();
        var catalog = FunctionCatalog.Discover([typeof(RadarFunctionsServices).Assembly]);
        var notFound = catalog.Http.Single(f => f.Route == PageRoutes.NotFound);
        // Only a function that takes one of the catch-all's methods (GET, HEAD) could lose a request
        // to it; the page fallback takes the others.
        var others = catalog.Http.Where(f => f != notFound && f.HttpMethods.Intersect(notFound.HttpMethods).Any()).ToList();

        Assert.Contains(others, f => f.Route.StartsWith("api/", StringComparison.Ordinal));
        foreach (var function in others)
        {
            // A path the function answers: every parameter filled in.
            var pattern = RoutePatternFactory.Parse(function.Route);
            var path = string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternSeparatorPart separator => separator.Content,
                RoutePatternParameterPart { IsOptional: true } => "",
                _ => "x",
            }))));
            // Deeper paths too where the function has a catch-all of its own (static/{*path}).
            var deeper = pattern.Parameters.Any(p => p.IsCatchAll) ? path + "/mehr" : path;
            foreach (var candidate in new[] { path, path.ToUpperInvariant(), deeper })
            {
                // "" is the home page's own path, which the catch-all (one character at least) leaves alone.
                Assert.DoesNotMatch(catchAll, candidate);
            }
        }

        Assert.Matches(catchAll, "impressum");
        Assert.Matches(catchAll, "massnahmenliste");
        Assert.Matches(catchAll, "apis/x");
        Assert.DoesNotMatch(catchAll, "");
    }

    [Theory]
    [InlineData("/gibt-es-nicht")]
    [InlineData("/massnahmenliste/x/y")]
    [InlineData("/suche-alt")]
    public async Task Unknown_paths_get_the_German_404_page(string path)
    {
        using var response = await pages.App.Client.GetAsync(path, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"de\">", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Seite nicht gefunden</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Zur Startseite", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_routes_stay_with_their_functions_beside_the_catch_all()
    {
        using var radar = await pages.App.Client.GetAsync("/api/radar", Ct);
        using var health = await pages.App.Client.GetAsync("/api/health", Ct);
        using var unknownApi = await pages.App.Client.GetAsync("/api/gibt-es-nicht", Ct);
        using var unknownMeasureApi = await pages.App.Client.GetAsync("/api/measures/gibt-es-nicht", Ct);

        Assert.Equal(HttpStatusCode.OK, radar.StatusCode);
        Assert.Equal("application/json", radar.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual("text/html", health.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknownApi.StatusCode);
        Assert.NotEqual("text/html", unknownApi.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/problem+json", unknownMeasureApi.Content.Headers.ContentType?.MediaType);
    }
}
