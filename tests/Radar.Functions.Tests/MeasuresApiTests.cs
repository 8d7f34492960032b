using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.Ingest;
using Radar.Core.Measures;

namespace Radar.Functions.Tests;

/// <summary>The measure routes over real HTTP: the sample radars ingested through the admin
/// route, the radar and measure answers, and the "done when" of the measures issue.</summary>
public class MeasuresApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Samples => Path.Combine(AzuriteFixture.RepoRoot, "samples", "measures");

    private static Dictionary<string, string?> SampleSources(string muenchenUrl = "file:samples/measures/muenchen.json") => new()
    {
        ["Radar:Measures:DefaultRadar"] = "muenchen",

        // These tests read right after each ingest; the public answers' 5-second cache would show the
        // state before it (as it does for citizens, by design, for at most those 5 seconds).
        ["Radar:Http:CacheSeconds"] = "0",
        ["Radar:Sources:0:Id"] = "muenchen",
        ["Radar:Sources:0:Url"] = muenchenUrl,
        ["Radar:Sources:0:Kind"] = "measures-json",
        ["Radar:Sources:1:Id"] = "musterstadt",
        ["Radar:Sources:1:Url"] = "file:samples/measures/musterstadt.csv",
        ["Radar:Sources:1:Kind"] = "measures-csv",
        ["Radar:Sources:1:Radar"] = "musterstadt",
        ["Radar:Sources:1:Definition"] = "file:samples/measures/musterstadt.radar.json",
    };

    private static async Task<JsonElement> IngestAsync(RadarApp app, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/ingest/measures" + query);
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await app.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static JsonElement Source(JsonElement report, string id) =>
        report.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("source").GetString() == id);

    [Fact]
    public async Task The_sample_radars_are_served_after_an_admin_ingest()
    {
        await using var app = await RadarApp.StartAsync(azurite, SampleSources());

        var report = await IngestAsync(app);
        var radar = await app.Client.GetFromJsonAsync<JsonElement>("api/radar", Ct);
        var muster = await app.Client.GetFromJsonAsync<JsonElement>("api/radar?radar=musterstadt", Ct);

        Assert.Equal("ingested", Source(report, "muenchen").GetProperty("outcome").GetString());
        Assert.Equal(48, Source(report, "muenchen").GetProperty("created").GetInt32());
        var skipped = Source(report, "musterstadt").GetProperty("skipped").EnumerateArray().Single();
        Assert.Equal(11, skipped.GetProperty("line").GetInt32());
        Assert.Equal("Digitalisierungsradar München", radar.GetProperty("radar").GetProperty("title").GetString());
        Assert.Equal(["Stadtgesellschaft", "Stadtverwaltung", "Infrastruktur"],
            radar.GetProperty("radar").GetProperty("areas").EnumerateArray().Select(a => a.GetProperty("label").GetString()));
        var measures = radar.GetProperty("measures").EnumerateArray().ToList();
        Assert.Equal(48, measures.Count);
        var wlan = measures.Single(m => m.GetProperty("id").GetString() == "oeffentliches-wlan");
        Assert.Equal("Öffentliches WLAN „M-WLAN“", wlan.GetProperty("title").GetString());
        Assert.Equal("infrastruktur", wlan.GetProperty("area").GetString());
        Assert.Equal("Digitale Infrastruktur", wlan.GetProperty("field").GetString());
        Assert.Equal(["IT-Referat", "Stadtwerke München"], wlan.GetProperty("departments").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("in-umsetzung", wlan.GetProperty("status").GetString());
        // Only the 2024 edition is imported here (no Editions setting): nothing is new against it.
        Assert.False(wlan.GetProperty("new").GetBoolean());
        Assert.False(wlan.GetProperty("moved").GetBoolean());
        Assert.Equal("/massnahmen/oeffentliches-wlan", wlan.GetProperty("url").GetString());
        var counts = radar.GetProperty("counts");
        Assert.Equal(48, counts.EnumerateObject().Sum(a => a.Value.EnumerateObject().Sum(s => s.Value.GetInt32())));
        Assert.Equal(measures.Count(m => m.GetProperty("area").GetString() == "infrastruktur" && m.GetProperty("status").GetString() == "in-umsetzung"),
            counts.GetProperty("infrastruktur").GetProperty("in-umsetzung").GetInt32());
        Assert.Equal(9, muster.GetProperty("measures").GetArrayLength());
        Assert.Equal("/massnahmen/buergerkonto?radar=musterstadt",
            muster.GetProperty("measures").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "buergerkonto").GetProperty("url").GetString());
        Assert.Equal(["muenchen", "musterstadt"], radar.GetProperty("radars").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_measure_answers_every_field_and_its_history_and_an_unknown_one_is_a_404_problem()
    {
        await using var app = await RadarApp.StartAsync(azurite, SampleSources());
        await IngestAsync(app);

        var wlan = await app.Client.GetFromJsonAsync<JsonElement>("api/measures/oeffentliches-wlan", Ct);
        var konto = await app.Client.GetFromJsonAsync<JsonElement>("api/measures/buergerkonto?radar=musterstadt", Ct);
        using var unknown = await app.Client.GetAsync("api/measures/gibt-es-nicht", Ct);
        using var otherRadar = await app.Client.GetAsync("api/measures/buergerkonto", Ct);
        using var badRadar = await app.Client.GetAsync("api/measures/buergerkonto?radar=M%C3%BCnchen!", Ct);
        using var unknownRadar = await app.Client.GetAsync("api/radar?radar=atlantis", Ct);

        var measure = wlan.GetProperty("measure");
        foreach (var field in new[] { "id", "title", "summary", "description", "area", "field", "departments", "status", "progress", "goals", "achievements", "highlights", "outlook", "kpis", "tags", "links", "start", "updated" })
        {
            Assert.True(measure.TryGetProperty(field, out _), $"measure.{field}");
        }

        Assert.Equal("In Umsetzung", wlan.GetProperty("status").GetProperty("label").GetString());
        var created = wlan.GetProperty("changes").EnumerateArray().Single();
        Assert.Equal("created", created.GetProperty("kind").GetString());
        Assert.Equal("muenchen:oeffentliches-wlan:2024", created.GetProperty("id").GetString());
        Assert.Equal("laufend", konto.GetProperty("measure").GetProperty("status").GetString());
        Assert.Equal("musterstadt", konto.GetProperty("radar").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("gibt-es-nicht", (await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherRadar.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badRadar.StatusCode);
        Assert.Equal("application/problem+json", badRadar.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknownRadar.StatusCode);
    }

    [Fact]
    public async Task Status_change_remove_and_restore_of_a_sample_show_in_the_history_exactly_once()
    {
        var folder = Directory.CreateTempSubdirectory("radar-api-").FullName;
        var file = Path.Combine(folder, "muenchen.json");
        File.Copy(Path.Combine(Samples, "muenchen.json"), file);
        var original = JsonNode.Parse(await File.ReadAllTextAsync(file, Ct))!;
        await using var app = await RadarApp.StartAsync(azurite, SampleSources("file:" + file));
        async Task WriteAsync(Action<JsonArray> edit)
        {
            var doc = original.DeepClone();
            edit(doc["measures"]!.AsArray());
            await File.WriteAllTextAsync(file, doc.ToJsonString(), Ct);
        }

        async Task<List<string>> KindsAsync() =>
            [.. (await app.Client.GetFromJsonAsync<JsonElement>("api/measures/elektronische-akte", Ct))
                .GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("kind").GetString()!)];

        await IngestAsync(app);
        await WriteAsync(ms => ms.Single(m => (string?)m!["id"] == "elektronische-akte")!["status"] = "umgesetzt");
        var changed = await IngestAsync(app);
        var again = await IngestAsync(app, "?force=true");
        var afterStatus = await KindsAsync();
        var radar = await app.Client.GetFromJsonAsync<JsonElement>("api/radar", Ct);

        await WriteAsync(ms => ms.Remove(ms.Single(m => (string?)m!["id"] == "elektronische-akte")));
        var removed = await IngestAsync(app);
        var afterRemove = await KindsAsync();
        await WriteAsync(_ => { });
        var restored = await IngestAsync(app);
        var detail = await app.Client.GetFromJsonAsync<JsonElement>("api/measures/elektronische-akte", Ct);

        Assert.Equal(1, Source(changed, "muenchen").GetProperty("statusChanged").GetInt32());
        Assert.Equal(0, Source(again, "muenchen").GetProperty("statusChanged").GetInt32());
        Assert.Equal(48, Source(again, "muenchen").GetProperty("unchanged").GetInt32());
        Assert.Equal(["status-changed", "created"], afterStatus);
        Assert.True(radar.GetProperty("measures").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "elektronische-akte").GetProperty("moved").GetBoolean());
        Assert.Equal(1, Source(removed, "muenchen").GetProperty("removed").GetInt32());
        Assert.Equal(["removed", "status-changed", "created"], afterRemove);
        Assert.Equal(1, Source(restored, "muenchen").GetProperty("restored").GetInt32());
        var changes = detail.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(["restored", "removed", "status-changed", "created"], changes.Select(c => c.GetProperty("kind").GetString()));
        Assert.Equal(("in-umsetzung", "umgesetzt"), (changes[2].GetProperty("from").GetString(), changes[2].GetProperty("to").GetString()));
        Assert.Equal(("umgesetzt", "in-umsetzung"), (changes[0].GetProperty("from").GetString(), changes[0].GetProperty("to").GetString()));
        Assert.False(detail.GetProperty("removed").GetBoolean());
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task The_admin_ingest_needs_the_function_key_and_health_shows_the_sources()
    {
        await using var app = await RadarApp.StartAsync(azurite, SampleSources());

        using var anonymous = await app.Client.PostAsync("api/admin/ingest/measures", null, Ct);
        using var badForce = new HttpRequestMessage(HttpMethod.Post, "api/admin/ingest/measures?force=ja");
        badForce.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var badForceResponse = await app.Client.SendAsync(badForce, Ct);
        await IngestAsync(app);
        var health = await app.Client.GetFromJsonAsync<JsonElement>("api/admin/health?code=" + RadarApp.FunctionKey, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badForceResponse.StatusCode);
        var sources = health.GetProperty("components").GetProperty("sources");
        Assert.Equal("ok", sources.GetProperty("status").GetString());
        var items = sources.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["muenchen", "musterstadt"], items.Select(s => s.GetProperty("id").GetString()).Order());
        Assert.All(items, s =>
        {
            Assert.Equal("ok", s.GetProperty("state").GetString());
            Assert.True(s.TryGetProperty("lastFetch", out _));
            Assert.True(s.TryGetProperty("eTag", out _));
        });
    }

    [Fact]
    public async Task The_admin_ingest_answers_409_while_another_run_holds_the_measures_lease()
    {
        await using var app = await RadarApp.StartAsync(azurite, SampleSources());
        var lease = app.Services.GetRequiredService<IngestLease>();

        HttpResponseMessage refused;
        await using (var other = await lease.TryAcquireAsync(MeasureStore.LeaseKind, Ct))
        {
            Assert.True(other.Acquired);
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/ingest/measures");
            request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
            refused = await app.Client.SendAsync(request, Ct);
        }

        using (refused)
        {
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("already running", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("holder").GetString()));
        }

        var report = await IngestAsync(app);
        Assert.Equal("ingested", Source(report, "muenchen").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task No_radar_yet_is_a_404_problem_that_says_what_to_do()
    {
        await using var app = await RadarApp.StartAsync(azurite);

        using var response = await app.Client.GetAsync("api/radar", Ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Radar__Sources", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
