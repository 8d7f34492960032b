using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Json.Schema;
using Microsoft.Azure.Functions.Worker;
using Radar.Local.Functions;

namespace Radar.Functions.Tests.Syndication;

/// <summary>
/// The public API as a newsroom developer meets it: <c>/api/openapi.json</c> describes every
/// public route and each answers as described; every public GET carries validators, answers
/// conditional requests with 304, is open to other origins, and says how long to cache.
/// </summary>
public class PublicApiTests(FeedSite site) : IClassFixture<FeedSite>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonObject> OpenApiAsync() =>
        JsonNode.Parse(await site.App.Client.GetStringAsync("api/openapi.json", Ct))!.AsObject();

    /// <summary>Each documented GET as a URL: path parameters from their examples, required query parameters too.</summary>
    private static IEnumerable<(string Path, string Url, JsonObject Operation)> Operations(JsonObject doc)
    {
        foreach (var (path, item) in doc["paths"]!.AsObject())
        {
            // The WebSub hub takes POST only (its own tests in WebSub/).
            if (item!["get"] is not JsonObject operation)
            {
                continue;
            }

            var url = path;
            var query = new List<string>();
            foreach (var parameter in operation["parameters"]?.AsArray().Select(p => Resolve(doc, p!)) ?? [])
            {
                if ((string?)parameter["in"] == "path")
                {
                    url = url.Replace("{" + (string)parameter["name"]! + "}", (string)parameter["example"]!, StringComparison.Ordinal);
                }
                else if ((bool?)parameter["required"] == true)
                {
                    query.Add($"{parameter["name"]}={Uri.EscapeDataString((string)parameter["example"]!)}");
                }
            }

            yield return (path, url.TrimStart('/') + (query.Count == 0 ? "" : "?" + string.Join('&', query)), operation);
        }
    }

    private static JsonObject Resolve(JsonObject doc, JsonNode node)
    {
        while (node["$ref"] is { } reference)
        {
            node = ((string)reference!)["#/".Length..].Split('/').Aggregate((JsonNode)doc, (n, part) => n[part]!);
        }

        return node.AsObject();
    }

    /// <summary>A response schema as a JSON Schema document: the component schemas under $defs.</summary>
    private static JsonSchema SchemaFor(JsonObject doc, JsonNode schema)
    {
        var root = JsonNode.Parse(schema.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!.AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = JsonNode.Parse(doc["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal));
        return JsonSchema.FromText(root.ToJsonString());
    }

    [Fact]
    public async Task Every_public_route_is_documented_and_answers_as_documented()
    {
        var doc = await OpenApiAsync();
        var catalog = FunctionCatalog.Discover([typeof(RadarFunctionsServices).Assembly]);
        // The API is every anonymous route under api/; the citizens' pages (/, /suche, /massnahmen/…,
        // /embed, /static/…, the 404 page) are HTML for browsers, tested in Pages/.
        // (The API fallback is not a route of its own: it answers 404 and 405 for every other path.)
        var anonymous = catalog.Http.Where(f => f.AuthLevel == AuthorizationLevel.Anonymous && f.Route.StartsWith("api/", StringComparison.Ordinal) && f.Name != Api.ApiFallbackFunction.Name).ToList();
        Assert.Contains(catalog.Http, f => f.AuthLevel == AuthorizationLevel.Anonymous && !f.Route.StartsWith("api/", StringComparison.Ordinal));
        var documented = doc["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.StartsWith("3.1", (string?)doc["openapi"], StringComparison.Ordinal);
        using (var empty = JsonDocument.Parse("{}"))
        {
            Assert.False(SchemaFor(doc, JsonNode.Parse("""{ "$ref": "#/components/schemas/RadarView" }""")!).Evaluate(empty.RootElement).IsValid, "the schemas must bite");
        }

        Assert.Equal(anonymous.Select(f => "/" + f.Route).Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        // Every public route is a read, but the WebSub hub, which takes subscriptions by POST.
        var reads = anonymous.Where(f => f.Name != "WebSubHub").ToList();
        Assert.Equal(["POST"], anonymous.Single(f => f.Name == "WebSubHub").HttpMethods);
        Assert.NotNull(doc["paths"]!["/api/websub"]!["post"]);
        Assert.All(reads, f => Assert.Contains("GET", f.HttpMethods));
        Assert.All(reads, f => Assert.Contains("OPTIONS", f.HttpMethods));
        Assert.DoesNotContain(catalog.Http.Where(f => f.AuthLevel != AuthorizationLevel.Anonymous), f => documented.Contains("/" + f.Route));

        foreach (var (path, url, operation) in Operations(doc))
        {
            using var response = await site.App.Client.GetAsync(url, Ct);
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(status == "200", $"{url}: {status} {body}");
            var documentedResponse = Resolve(doc, operation["responses"]![status]!);
            var mediaType = response.Content.Headers.ContentType?.MediaType!;
            Assert.True(documentedResponse["content"]?[mediaType] is not null, $"{path}: {mediaType} is not documented for {status}");
            var schema = documentedResponse["content"]![mediaType]!["schema"]!;
            if (mediaType.EndsWith("json", StringComparison.Ordinal))
            {
                using var json = JsonDocument.Parse(body);
                var result = SchemaFor(doc, schema).Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
                Assert.True(result.IsValid, $"{url}: " + JsonSerializer.Serialize(result.Details?.Where(d => d.Errors is not null).Select(d => new { d.InstanceLocation, d.EvaluationPath, d.Errors }).Take(5)));
            }
            else if (mediaType.EndsWith("xml", StringComparison.Ordinal))
            {
                Assert.NotNull(XDocument.Parse(body).Root);
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(body), $"{url}: empty {mediaType}");
            }

            var required = documentedResponse["headers"]?.AsObject().Where(h => (bool?)Resolve(doc, h.Value!)["required"] == true).Select(h => h.Key) ?? [];
            foreach (var header in required)
            {
                Assert.True(response.Headers.NonValidated.Contains(header) || response.Content.Headers.NonValidated.Contains(header), $"{url}: header {header} is documented as required but missing");
            }
        }
    }

    [Fact]
    public async Task Every_public_GET_has_validators_answers_304_and_is_open_to_other_sites()
    {
        var doc = await OpenApiAsync();
        var cached = Operations(doc).Where(o => o.Operation["responses"]!["304"] is not null).ToList();
        Assert.True(cached.Count >= 13, "radar, radar.svg, widget.js, measures, news, changes, three feeds, search, suggest, oembed and openapi answer 304");

        foreach (var (_, url, _) in cached)
        {
            using var first = await site.App.Client.GetAsync(url, Ct);
            var etag = first.Headers.ETag;
            Assert.True(etag is { IsWeak: false }, $"{url}: strong ETag");
            Assert.InRange(first.Headers.CacheControl?.MaxAge ?? TimeSpan.Zero, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(300));
            Assert.True(first.Headers.CacheControl?.Public, url);
            Assert.Equal("*", first.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Contains("ETag", first.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
            Assert.NotNull(first.Content.Headers.ContentType?.CharSet);

            using var strong = new HttpRequestMessage(HttpMethod.Get, url);
            strong.Headers.IfNoneMatch.Add(etag!);
            using var notModified = await site.App.Client.SendAsync(strong, Ct);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal(etag, notModified.Headers.ETag);

            using var weak = new HttpRequestMessage(HttpMethod.Get, url);
            weak.Headers.TryAddWithoutValidation("If-None-Match", $"\"other\", W/{etag!.Tag}");
            Assert.Equal(HttpStatusCode.NotModified, (await site.App.Client.SendAsync(weak, Ct)).StatusCode);

            using var other = new HttpRequestMessage(HttpMethod.Get, url);
            other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"not-this-one\""));
            Assert.Equal(HttpStatusCode.OK, (await site.App.Client.SendAsync(other, Ct)).StatusCode);

            if (first.Content.Headers.LastModified is { } modified)
            {
                using var since = new HttpRequestMessage(HttpMethod.Get, url);
                since.Headers.IfModifiedSince = modified;
                Assert.Equal(HttpStatusCode.NotModified, (await site.App.Client.SendAsync(since, Ct)).StatusCode);
                using var before = new HttpRequestMessage(HttpMethod.Get, url);
                before.Headers.IfModifiedSince = modified.AddSeconds(-1);
                Assert.Equal(HttpStatusCode.OK, (await site.App.Client.SendAsync(before, Ct)).StatusCode);
            }

            // A widget on another site that sends If-None-Match needs the preflight.
            using var preflight = new HttpRequestMessage(HttpMethod.Options, url);
            preflight.Headers.Add("Origin", "https://zeitung.example");
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            preflight.Headers.Add("Access-Control-Request-Headers", "if-none-match");
            using var allowed = await site.App.Client.SendAsync(preflight, Ct);
            Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
            Assert.Equal("*", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Contains("GET", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
            Assert.Contains("If-None-Match", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HEAD_answers_every_public_GET_and_page_with_the_same_headers_and_no_body()
    {
        var doc = await OpenApiAsync();
        var catalog = FunctionCatalog.Discover([typeof(RadarFunctionsServices).Assembly]);
        Assert.All(catalog.Http.Where(f => f.HttpMethods.Contains("GET")), f => Assert.Contains("HEAD", f.HttpMethods));
        var api = Operations(doc).ToList();
        Assert.All(api, o => Assert.True(doc["paths"]![o.Path]!["head"] is not null, $"{o.Path}: HEAD is documented"));
        var pages = new Dictionary<string, string>
        {
            ["HomePage"] = "/",
            ["MeasurePage"] = "massnahmen/oeffentliches-wlan",
            ["SearchPage"] = "suche?q=wlan",
            // The sample is the 2024 edition only: its report, and a comparison with today.
            ["ReportPage"] = "bericht/2024",
            ["ComparePage"] = "vergleich?von=2024&bis=heute",
            ["EmbedPage"] = "embed?q=wlan",
            ["StaticAsset"] = "static/site.css",
            ["NotFoundPage"] = "gibt-es-nicht",
        };
        Assert.Equal(
            catalog.Http.Where(f => f.AuthLevel == AuthorizationLevel.Anonymous && f.HttpMethods.Contains("GET") && !f.Route.StartsWith("api/", StringComparison.Ordinal)).Select(f => f.Name).Order(StringComparer.Ordinal),
            pages.Keys.Order(StringComparer.Ordinal));

        foreach (var url in api.Select(o => o.Url).Concat(pages.Values))
        {
            using var get = await site.App.Client.GetAsync(url, Ct);
            using var head = await site.App.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), Ct);

            Assert.True(get.StatusCode == head.StatusCode, $"{url}: GET {get.StatusCode}, HEAD {head.StatusCode}");
            Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
            Assert.Equal(get.Headers.ETag, head.Headers.ETag);
            Assert.Equal(get.Content.Headers.LastModified, head.Content.Headers.LastModified);
            Assert.Equal(get.Headers.CacheControl, head.Headers.CacheControl);
            foreach (var name in new[] { "Access-Control-Allow-Origin", "Content-Security-Policy", "X-Frame-Options" })
            {
                Assert.Equal(
                    get.Headers.NonValidated.TryGetValues(name, out var g) ? g.ToString() : null,
                    head.Headers.NonValidated.TryGetValues(name, out var h) ? h.ToString() : null);
            }

            if (get.Headers.ETag is not null)
            {
                // Answers with a validator are the same bytes, so HEAD announces the GET's length.
                Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
            }
        }
    }
}

/// <summary>Validators follow the data: a new ingest changes the ETag of what it touched.</summary>
public class ValidatorTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_ETag_changes_when_the_data_behind_the_answer_changes_and_the_old_one_gets_the_new_answer()
    {
        var file = FeedSite.CopySample();
        await using var app = await RadarApp.StartAsync(azurite, FeedSite.Settings(file));
        await FeedSite.IngestAsync(app);
        string[] urls = ["api/feed.rss?measure=elektronische-akte", "api/radar", "api/measures/elektronische-akte", "api/changes"];
        var before = new Dictionary<string, EntityTagHeaderValue>();
        foreach (var url in urls)
        {
            using var response = await app.Client.GetAsync(url, Ct);
            before[url] = response.Headers.ETag!;
        }

        using var unrelatedBefore = await app.Client.GetAsync("api/feed.rss?measure=handyparken", Ct);
        await FeedSite.EditAsync(file, ms => ms.Single(m => (string?)m!["id"] == "elektronische-akte")!["status"] = "umgesetzt");
        await FeedSite.IngestAsync(app);

        foreach (var url in urls)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.IfNoneMatch.Add(before[url]);
            using var response = await app.Client.SendAsync(request, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} changed, so the old ETag must get the new answer");
            Assert.NotEqual(before[url], response.Headers.ETag);
        }

        var rss = await app.Client.GetStringAsync("api/feed.rss?measure=elektronische-akte", Ct);
        Assert.Contains("Elektronische Akte (E-Akte): Status von „In Umsetzung“ zu „Umgesetzt“", rss, StringComparison.Ordinal);
        using var unrelated = new HttpRequestMessage(HttpMethod.Get, "api/feed.rss?measure=handyparken");
        unrelated.Headers.IfNoneMatch.Add(unrelatedBefore.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await app.Client.SendAsync(unrelated, Ct)).StatusCode);
    }

    [Fact]
    public async Task Within_a_generation_an_instance_answers_from_memory_and_the_next_generation_at_once()
    {
        var file = FeedSite.CopySample();
        // An hour: only the next snapshot generation can bring the change within the test.
        var settings = FeedSite.Settings(file, cacheSeconds: 3600);
        await using var app = await RadarApp.StartAsync(azurite, settings);
        await FeedSite.IngestAsync(app);
        var (first, firstSnapshot) = await Eventually.WaitForAsync(
            async () =>
            {
                using var response = await app.Client.GetAsync("api/changes?measure=handyparken", Ct);
                return (Body: await response.Content.ReadAsStringAsync(Ct), Snapshot: response.Headers.GetValues("Radar-Snapshot").Single());
            },
            got => got.Body.Contains("handyparken", StringComparison.Ordinal),
            "the ingest to be served");
        using (var health = new HttpRequestMessage(HttpMethod.Get, "api/admin/health"))
        {
            health.Headers.Add("x-functions-key", RadarApp.FunctionKey);
            using var answer = await app.Client.SendAsync(health, Ct);
            var cache = (await answer.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("components").GetProperty("answerCache");
            Assert.True(cache.GetProperty("entries").GetInt32() >= 1);
            Assert.Equal(firstSnapshot, cache.GetProperty("snapshot").GetString());
        }

        await FeedSite.EditAsync(file, ms => ms.Single(m => (string?)m!["id"] == "handyparken")!["progress"] = 99);
        await FeedSite.IngestAsync(app);

        var fresh = await Eventually.WaitForAsync(
            async () => await app.Client.GetStringAsync("api/changes?measure=handyparken", Ct),
            body => body.Contains("Fortschritt 100 % → 99 %", StringComparison.Ordinal),
            "the change with the next generation",
            TimeSpan.FromSeconds(30));

        Assert.DoesNotContain("Fortschritt 100 % → 99 %", first, StringComparison.Ordinal);
        Assert.Contains("Handyparken im ganzen Stadtgebiet aktualisiert: Fortschritt 100 % → 99 %", fresh, StringComparison.Ordinal);
    }
}
