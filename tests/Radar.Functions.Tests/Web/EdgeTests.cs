using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Radar.Functions.Api;
using Radar.Functions.Site;
using Radar.Local.Functions;

namespace Radar.Functions.Tests.Web;

/// <summary>A Radar without data: the edge's rules do not need any.</summary>
public sealed class EdgeApp(AzuriteFixture azurite) : IAsyncLifetime
{
    public RadarApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync() => App = await RadarApp.StartAsync(azurite);

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// The one error shape of <c>/api</c> and the one rule for query parameters, through the local
/// runner over real HTTP: one test per rule.
/// </summary>
public class EdgeTests(EdgeApp edge) : IClassFixture<EdgeApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => edge.App.Client;

    private async Task<(HttpResponseMessage Response, JsonElement Problem)> SendAsync(HttpMethod method, string url, bool withKey = false)
    {
        using var request = new HttpRequestMessage(method, url);
        if (withKey)
        {
            request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        }

        var response = await Client.SendAsync(request, Ct);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    [Theory]
    [InlineData("GET", "api/gibt-es-nicht")]
    [InlineData("POST", "api/gibt-es-nicht/tief/unten")]
    [InlineData("GET", "api")]
    [InlineData("GET", "api/measures")]
    public async Task An_unknown_api_route_is_a_404_problem(string method, string url)
    {
        var (response, problem) = await SendAsync(new HttpMethod(method), url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("/api/openapi.json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Theory]
    [InlineData("POST", "api/radar", "GET, HEAD, OPTIONS")]
    [InlineData("DELETE", "api/measures/oeffentliches-wlan", "GET, HEAD, OPTIONS")]
    [InlineData("PUT", "api/feed.rss", "GET, HEAD, OPTIONS")]
    [InlineData("POST", "api/admin/sources", "GET, HEAD")]
    [InlineData("PATCH", "api/admin/sources/stadtportal", "GET, HEAD, PUT, DELETE")]
    [InlineData("DELETE", "api/admin/sources.opml", "GET, HEAD, POST")]
    public async Task A_wrong_method_is_a_405_problem_with_the_exact_Allow(string method, string url, string allow)
    {
        var (response, problem) = await SendAsync(new HttpMethod(method), url);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal(405, problem.GetProperty("status").GetInt32());
        Assert.Contains(method, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/admin/ingest/measures")]
    [InlineData("api/admin/ingest/news")]
    [InlineData("api/admin/reindex")]
    public async Task A_GET_on_a_POST_only_admin_route_is_a_405_not_a_404(string url)
    {
        // With or without the key: which methods a route takes is not a secret, and no run starts.
        var (response, _) = await SendAsync(HttpMethod.Get, url, withKey: true);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), "admin routes are not open to other sites");
    }

    /// <summary>OPTIONS on a path that is no route is a 404 like every method there: a 405 would
    /// say the resource exists, and there is no list of methods it could carry.</summary>
    [Fact]
    public async Task OPTIONS_on_an_unknown_api_route_is_a_404_problem_and_a_preflight_on_a_known_one()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "api/gibt-es-nicht");
        preflight.Headers.Add("Origin", "https://zeitung.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var unknown = await Client.SendAsync(preflight, Ct);
        using var known = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "api/radar"), Ct);
        var (admin, _) = await SendAsync(HttpMethod.Options, "api/admin/reindex");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NoContent, known.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, admin.StatusCode);
        Assert.Equal(["POST"], admin.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("api/search?q=wlan&q=e-akte", "q")]
    [InlineData("api/search?sort=date&sort=relevance", "sort")]
    [InlineData("api/feed.rss?limit=5&limit=6", "limit")]
    [InlineData("api/changes?measure=a&measure=b", "measure")]
    [InlineData("api/radar?radar=muenchen&radar=musterstadt", "radar")]
    [InlineData("api/oembed?url=http%3A%2F%2Fx.example%2F&url=http%3A%2F%2Fy.example%2F", "url")]
    public async Task A_repeated_single_valued_parameter_is_a_400_problem_naming_it(string url, string parameter)
    {
        var (response, problem) = await SendAsync(HttpMethod.Get, url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"Give '{parameter}' once.", problem.GetProperty("detail").GetString());
        Assert.Equal(parameter, problem.GetProperty("errors").EnumerateArray().Single().GetProperty("parameter").GetString());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("/suche?q=wlan&q=e-akte", "Diese Suche können wir so nicht ausführen: Give 'q' once.")]
    [InlineData("/embed?limit=5&limit=6", "Diese Auswahl ist ungültig: Give 'limit' once.")]
    [InlineData("/?radar=muenchen&radar=musterstadt", "Diese Adresse können wir so nicht beantworten: Give 'radar' once.")]
    public async Task A_page_with_a_repeated_parameter_is_its_German_400_page(string url, string message)
    {
        using var response = await Client.GetAsync(url, Ct);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"de\">", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Null(response.Headers.ETag);
    }

    [Fact]
    public async Task HEAD_on_an_unknown_api_route_has_the_problem_headers_and_no_body()
    {
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "api/gibt-es-nicht"), Ct);
        using var get = await Client.GetAsync("api/gibt-es-nicht", Ct);

        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal("application/problem+json", head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));
    }

    /// <summary>The Functions host tries routes in the order of the functions' names and takes
    /// the first that matches path and method (it does not rank them as ASP.NET Core does), so
    /// the fallbacks must sort after every other function, and the API's before the pages' (whose
    /// <c>{*path}</c> would match <c>/api</c> paths too).</summary>
    [Fact]
    public void The_fallbacks_sort_after_every_other_function_so_the_Functions_host_tries_them_last()
    {
        var catalog = FunctionCatalog.Discover([typeof(RadarFunctionsServices).Assembly]);
        var names = catalog.Http.Select(f => f.Name).Concat(catalog.Timers.Select(t => t.Name)).Order(StringComparer.OrdinalIgnoreCase).ToList();

        Assert.Equal([ApiFallbackFunction.Name, PageFallbackFunction.Name], names[^2..]);
        Assert.Equal("api/{*path}", catalog.Http.Single(f => f.Name == ApiFallbackFunction.Name).Route);
        Assert.Equal("{*path}", catalog.Http.Single(f => f.Name == PageFallbackFunction.Name).Route);
        // GET and HEAD always find a page, the 404 page or the API fallback first.
        Assert.DoesNotContain("GET", catalog.Http.Single(f => f.Name == PageFallbackFunction.Name).HttpMethods);
        Assert.DoesNotContain("HEAD", catalog.Http.Single(f => f.Name == PageFallbackFunction.Name).HttpMethods);
    }

    /// <summary>A page answers a method it does not take as the API does, in its own language: the
    /// German 405 page with <c>Allow</c>. Both hosts run the page fallback for it (the runner would
    /// otherwise answer an empty 405, the Functions host a 404).</summary>
    [Theory]
    [InlineData("POST", "/suche?q=wlan")]
    [InlineData("DELETE", "/massnahmen/oeffentliches-wlan")]
    [InlineData("PUT", "/")]
    [InlineData("POST", "/embed")]
    [InlineData("PATCH", "/static/site.css")]
    [InlineData("OPTIONS", "/suche")]
    public async Task A_wrong_method_on_a_page_is_the_German_405_page_with_Allow(string method, string url)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url), Ct);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"de\">", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Anfrage nicht möglich</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"die Methode {method} nimmt sie nicht an", html, StringComparison.Ordinal);
        Assert.Contains("Content-Security-Policy", response.Headers.Select(h => h.Key));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), "pages are not open to other sites");
        Assert.Null(response.Headers.ETag);
    }

    [Theory]
    [InlineData("POST", "/gibt-es-nicht")]
    [InlineData("DELETE", "/impressum/alt")]
    [InlineData("OPTIONS", "/suche-alt")]
    public async Task Any_method_on_a_path_without_a_page_is_the_German_404_page(string method, string url)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Seite nicht gefunden</h1>", html, StringComparison.Ordinal);
        Assert.Empty(response.Content.Headers.Allow);
    }
}
