using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Radar.Local.Azurite;

namespace Radar.Functions.Tests;

public class HealthTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Health_reports_storage_reached_version_and_uptime()
    {
        var beforeStart = DateTimeOffset.UtcNow;
        await using var app = await RadarApp.StartAsync(azurite);
        var ct = TestContext.Current.CancellationToken;

        var response = await app.Client.GetAsync("api/health", ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("version").GetString()));
        // Uptime counts from the process's start, not from the first health request.
        Assert.True(body.GetProperty("startedAt").GetDateTimeOffset() <= beforeStart);
        Assert.True(body.GetProperty("uptimeSeconds").GetDouble() >= (DateTimeOffset.UtcNow - beforeStart).TotalSeconds - 1);
        var storage = body.GetProperty("storage");
        Assert.Equal("ok", storage.GetProperty("tables").GetString());
        Assert.Equal("ok", storage.GetProperty("blobs").GetString());
        Assert.Equal("AzureWebJobsStorage", storage.GetProperty("setting").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Unreachable_storage_is_a_503_problem_that_names_the_setting()
    {
        // A development connection string whose ports nobody listens on.
        await using var app = await RadarApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = AzuritePorts.Free().ConnectionString,
        }, waitForSnapshot: false);
        var ct = TestContext.Current.CancellationToken;

        var response = await app.Client.GetAsync("api/health", ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("AzureWebJobsStorage", problem.GetProperty("setting").GetString());
        Assert.Contains("AzureWebJobsStorage", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("unavailable", problem.GetProperty("health").GetProperty("storage").GetProperty("tables").GetString());
    }

    [Fact]
    public async Task Public_health_shows_states_but_no_exception_text_while_storage_is_down_and_admin_health_shows_the_detail_with_the_key()
    {
        await using var app = await RadarApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = AzuritePorts.Free().ConnectionString,
        }, waitForSnapshot: false);
        var ct = TestContext.Current.CancellationToken;

        using var anonymous = await app.Client.GetAsync("api/admin/health", ct);
        using var admin = await app.Client.GetAsync("api/admin/health?code=" + RadarApp.FunctionKey, ct);
        var detail = await admin.Content.ReadFromJsonAsync<JsonElement>(ct);
        using var response = await app.Client.GetAsync("api/health", ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var problem = JsonDocument.Parse(text).RootElement;

        // The operator, with the key, is told why: the storage error and each component's.
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal("no-store", admin.Headers.CacheControl?.ToString());
        Assert.Equal("unavailable", detail.GetProperty("status").GetString());
        var storageError = detail.GetProperty("storage").GetProperty("error").GetString()!;
        Assert.Contains("not reachable: ", storageError, StringComparison.Ordinal);
        var reason = storageError[(storageError.IndexOf("not reachable: ", StringComparison.Ordinal) + "not reachable: ".Length)..];
        Assert.False(string.IsNullOrWhiteSpace(reason));
        var sourcesError = detail.GetProperty("components").GetProperty("sources").GetProperty("error").GetString()!;

        // Anyone else gets the states, and none of the texts.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain(reason, text, StringComparison.Ordinal);
        Assert.DoesNotContain(sourcesError, text, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("devstoreaccount1", text, StringComparison.Ordinal);
        var health = problem.GetProperty("health");
        Assert.Equal("unavailable", health.GetProperty("status").GetString());
        Assert.Equal(
            ["blobs", "setting", "status", "tables"],
            health.GetProperty("storage").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("unavailable", health.GetProperty("components").GetProperty("sources").GetProperty("status").GetString());
        Assert.All(health.GetProperty("components").EnumerateObject(), c =>
            Assert.All(c.Value.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "status", "counts" })));
    }

    [Fact]
    public async Task Public_health_counts_the_sources_by_state_without_naming_them()
    {
        await using var app = await RadarApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Radar:Sources:0:Id"] = "geheim",
            ["Radar:Sources:0:Url"] = "https://intern.example/quelle.json",
            ["Radar:Sources:0:Kind"] = "measures-json",
        });
        var ct = TestContext.Current.CancellationToken;

        var text = await app.Client.GetStringAsync("api/health", ct);
        var sources = JsonDocument.Parse(text).RootElement.GetProperty("components").GetProperty("sources");

        Assert.Equal("ok", sources.GetProperty("status").GetString());
        Assert.Equal(1, sources.GetProperty("counts").GetProperty("total").GetInt32());
        Assert.Equal(1, sources.GetProperty("counts").GetProperty("neverFetched").GetInt32());
        Assert.DoesNotContain("intern.example", text, StringComparison.Ordinal);
        Assert.DoesNotContain("geheim", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a connection string")]
    [InlineData(null)]
    public async Task Misconfigured_storage_is_a_503_problem_that_says_which_setting_is_wrong(string? value)
    {
        await using var app = await RadarApp.StartAsync(azurite, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = value }, waitForSnapshot: false);
        var ct = TestContext.Current.CancellationToken;

        var response = await app.Client.GetAsync("api/health", ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("'AzureWebJobsStorage'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
