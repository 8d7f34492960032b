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
        });
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

    [Theory]
    [InlineData("not a connection string")]
    [InlineData(null)]
    public async Task Misconfigured_storage_is_a_503_problem_that_says_which_setting_is_wrong(string? value)
    {
        await using var app = await RadarApp.StartAsync(azurite, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = value });
        var ct = TestContext.Current.CancellationToken;

        var response = await app.Client.GetAsync("api/health", ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("'AzureWebJobsStorage'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
