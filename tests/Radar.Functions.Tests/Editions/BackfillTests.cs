using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Ingest;
using Radar.Core.Measures;

namespace Radar.Functions.Tests.Editions;

/// <summary>
/// The admin backfill over real HTTP: a radar that has only its current edition (2024) is given
/// a historic one as JSON or as CSV with a definition, again (unchanged), with other content
/// (409, or replaced on request), and deletes it; every refusal stores nothing.
/// </summary>
public class BackfillTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string EditionFile(string edition) =>
        Path.Combine(AzuriteFixture.RepoRoot, "samples", "measures", "muenchen-editions", edition + ".json");

    private static JsonNode Edition(string edition) => JsonNode.Parse(File.ReadAllText(EditionFile(edition)))!;

    private static StringContent Json(JsonNode document) => new(document.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> SendAsync(RadarApp app, HttpMethod method, string url, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        return await app.Client.SendAsync(request, Ct);
    }

    private static Task<HttpResponseMessage> PostAsync(RadarApp app, HttpContent content, string radar = "muenchen", string query = "") =>
        SendAsync(app, HttpMethod.Post, $"api/admin/radars/{radar}/editions{query}", content);

    private static async Task<List<string>> EditionIdsAsync(RadarApp app, string radar = "muenchen")
    {
        var answer = await app.Client.GetFromJsonAsync<JsonElement>("api/radar/editions?radar=" + radar, Ct);
        return [.. answer.GetProperty("editions").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();

    private async Task<RadarApp> StartAsync()
    {
        var app = await RadarApp.StartAsync(azurite, EditionsSite.Settings(withPastEditions: false));
        await EditionsSite.IngestAsync(app);
        Assert.Equal(["2024"], await EditionIdsAsync(app));
        return app;
    }

    [Fact]
    public async Task A_JSON_edition_is_imported_once_conflicts_unless_replaced_and_can_be_deleted()
    {
        await using var app = await StartAsync();
        var current = await app.Client.GetStringAsync("api/radar", Ct);

        using var created = await PostAsync(app, Json(Edition("2022")));
        var report = await BodyAsync(created);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("imported", report.GetProperty("outcome").GetString());
        Assert.Equal("2022", report.GetProperty("edition").GetString());
        var location = created.Headers.Location!.OriginalString;
        Assert.Equal("/api/radar?radar=muenchen&edition=2022", location);
        var asOf = await app.Client.GetFromJsonAsync<JsonElement>(location.TrimStart('/'), Ct);
        Assert.Equal(
            Edition("2022")["measures"]!.AsArray().Select(m => (string)m!["id"]!).Order(StringComparer.Ordinal),
            asOf.GetProperty("measures").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(["2024", "2022"], await EditionIdsAsync(app));
        // An older edition changes the past, not what the radar shows now.
        Assert.Equal(Measures(current), Measures(await app.Client.GetStringAsync("api/radar", Ct)));
        var feed = await app.Client.GetFromJsonAsync<JsonElement>("api/changes?type=change", Ct);
        Assert.Contains(feed.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == "muenchen:2022"
            && i.GetProperty("title").GetString()!.StartsWith("Digitalisierungsbericht 2022: ", StringComparison.Ordinal));

        using var again = await PostAsync(app, Json(Edition("2022")));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("unchanged", (await BodyAsync(again)).GetProperty("outcome").GetString());

        var edited = Edition("2022");
        edited["measures"]![0]!["title"] = "Ein anderer Titel";
        var editedId = (string)edited["measures"]![0]!["id"]!;
        using var conflict = await PostAsync(app, Json(edited));
        var problem = await BodyAsync(conflict);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        Assert.Contains("replace=true", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(conflict.Headers.RetryAfter);
        Assert.NotEqual("Ein anderer Titel", TitleOf(await app.Client.GetStringAsync("api/radar?edition=2022", Ct), editedId));

        using var replaced = await PostAsync(app, Json(edited), query: "?replace=true");
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("replaced", (await BodyAsync(replaced)).GetProperty("outcome").GetString());
        Assert.Equal("Ein anderer Titel", TitleOf(await app.Client.GetStringAsync("api/radar?edition=2022", Ct), editedId));

        using var deleted = await SendAsync(app, HttpMethod.Delete, "api/admin/radars/muenchen/editions/2022");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(["2024"], await EditionIdsAsync(app));
        using (var gone = await app.Client.GetAsync("api/radar?edition=2022", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        Assert.Equal(Measures(current), Measures(await app.Client.GetStringAsync("api/radar", Ct)));
        using var twice = await SendAsync(app, HttpMethod.Delete, "api/admin/radars/muenchen/editions/2022");
        Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
        using var nowhere = await SendAsync(app, HttpMethod.Delete, "api/admin/radars/atlantis/editions/2022");
        Assert.Equal(HttpStatusCode.NotFound, nowhere.StatusCode);
    }

    [Fact]
    public async Task A_CSV_edition_comes_as_a_form_and_its_malformed_record_is_skipped_and_reported()
    {
        await using var app = await StartAsync();
        var definition = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AzuriteFixture.RepoRoot, "samples", "measures", "musterstadt.radar.json"), Ct))!;
        definition["radar"]!["edition"] = new JsonObject { ["id"] = "2024", ["title"] = "Digitalbericht 2024", ["published"] = "2024-12-31" };
        var csv = await File.ReadAllBytesAsync(Path.Combine(AzuriteFixture.RepoRoot, "samples", "measures", "musterstadt.csv"), Ct);

        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(csv) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } }, "csv", "musterstadt.csv" },
            { new StringContent(definition.ToJsonString(), Encoding.UTF8, "application/json"), "definition", "musterstadt.radar.json" },
        };
        using var created = await PostAsync(app, form, radar: "musterstadt");
        var report = await BodyAsync(created);

        Assert.True(created.StatusCode == HttpStatusCode.Created, report.ToString());
        Assert.Equal("imported", report.GetProperty("outcome").GetString());
        var skipped = Assert.Single(report.GetProperty("skipped").EnumerateArray());
        Assert.False(string.IsNullOrEmpty(skipped.GetProperty("reason").GetString()));
        Assert.Equal(report.GetProperty("read").GetInt32() - 1, report.GetProperty("measures").GetInt32());
        Assert.Equal(["2024"], await EditionIdsAsync(app, "musterstadt"));
        var asOf = await app.Client.GetFromJsonAsync<JsonElement>("api/radar?radar=musterstadt&edition=2024", Ct);
        Assert.Equal(report.GetProperty("measures").GetInt32(), asOf.GetProperty("measures").GetArrayLength());
    }

    [Fact]
    public async Task Every_refused_backfill_says_why_and_stores_nothing()
    {
        await using var app = await StartAsync();
        var noEdition = Edition("2022");
        noEdition["radar"]!.AsObject().Remove("edition");
        var future = Edition("2022");
        future["radar"]!["edition"]!["published"] = "2999-01-01";
        var otherRadar = Edition("2022");
        otherRadar["radar"]!["id"] = "atlantis";
        var tooBig = new byte[(10 * 1024 * 1024) + 1];
        Array.Fill(tooBig, (byte)' ');

        var cases = new (HttpContent Content, string Radar, string Query, HttpStatusCode Status, string Message)[]
        {
            (Json(Edition("2022")), "musterstadt", "", HttpStatusCode.BadRequest, "describes radar 'muenchen', not 'musterstadt'"),
            (Json(noEdition), "muenchen", "", HttpStatusCode.BadRequest, "names no edition"),
            (Json(future), "muenchen", "", HttpStatusCode.BadRequest, "2999-01-01"),
            (new StringContent("{ \"radar\": ", Encoding.UTF8, "application/json"), "muenchen", "", HttpStatusCode.BadRequest, ""),
            (Json(Edition("2022")), "muenchen", "?replace=vielleicht", HttpStatusCode.BadRequest, "replace must be true or false"),
            (new MultipartFormDataContent { { new StringContent("id;title"), "csv" } }, "muenchen", "", HttpStatusCode.BadRequest, "'definition'"),
            (Json(otherRadar), "atlantis", "", HttpStatusCode.NotFound, "no radar 'atlantis'"),
            (new StringContent(Edition("2022").ToJsonString(), Encoding.UTF8, "text/plain"), "muenchen", "", HttpStatusCode.UnsupportedMediaType, "application/json"),
            (new ByteArrayContent(Encoding.UTF8.GetBytes(Edition("2022").ToJsonString())), "muenchen", "", HttpStatusCode.UnsupportedMediaType, "multipart/form-data"),
            (new ByteArrayContent(tooBig) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, "muenchen", "", HttpStatusCode.RequestEntityTooLarge, "10 MiB"),
            (new StreamContent(new MemoryStream(tooBig)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, "muenchen", "", HttpStatusCode.RequestEntityTooLarge, "10 MiB"),
        };

        foreach (var (content, radar, query, status, message) in cases)
        {
            using (content)
            using (var response = await PostAsync(app, content, radar, query))
            {
                var body = await response.Content.ReadAsStringAsync(Ct);
                Assert.True(status == response.StatusCode, $"{radar}{query} {content.Headers.ContentType}: {(int)response.StatusCode} {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains(message, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(["2024"], await EditionIdsAsync(app));
        Assert.Empty(await EditionIdsAsync(app, "musterstadt"));

        // Which methods the routes take is not a secret: GET is a 405 naming them.
        using var get = await SendAsync(app, HttpMethod.Get, "api/admin/radars/muenchen/editions");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal(["POST"], get.Content.Headers.Allow);
        using var getOne = await SendAsync(app, HttpMethod.Get, "api/admin/radars/muenchen/editions/2024");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, getOne.StatusCode);
        Assert.Equal(["DELETE"], getOne.Content.Headers.Allow);
    }

    [Fact]
    public async Task A_backfill_while_an_ingest_holds_the_lease_is_a_409_with_Retry_After()
    {
        await using var app = await StartAsync();
        var lease = app.Services.GetRequiredService<IngestLease>();

        await using (var ingest = await lease.TryAcquireAsync(MeasureStore.LeaseKind, Ct))
        {
            Assert.True(ingest.Acquired);
            using var post = await PostAsync(app, Json(Edition("2021")));
            using var delete = await SendAsync(app, HttpMethod.Delete, "api/admin/radars/muenchen/editions/2024");
            foreach (var refused in new[] { post, delete })
            {
                var problem = await BodyAsync(refused);
                Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
                Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
                Assert.Equal(ingest.Holder.Owner, problem.GetProperty("holder").GetString());
            }
        }

        Assert.Equal(["2024"], await EditionIdsAsync(app));
        using var created = await PostAsync(app, Json(Edition("2021")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(["2024", "2021"], await EditionIdsAsync(app));
    }

    private static List<(string, string)> Measures(string radar) =>
        [.. JsonNode.Parse(radar)!["measures"]!.AsArray().Select(m => ((string)m!["id"]!, (string)m["status"]!)).Order()];

    private static string TitleOf(string radar, string id) =>
        (string)JsonNode.Parse(radar)!["measures"]!.AsArray().Single(m => (string?)m!["id"] == id)!["title"]!;
}
