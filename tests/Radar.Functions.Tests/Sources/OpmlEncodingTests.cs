using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Radar.Functions.Tests.ScaleOut;

namespace Radar.Functions.Tests.Sources;

/// <summary>
/// An OPML file in Windows-1252 is read the same whatever ran before. The code pages were once
/// registered only by the feed and CSV readers, so in a fresh process the import failed until a
/// feed had been read. This runs Radar in a process of its own, with no sources and no timers,
/// so the import is the first thing that reads anything.
/// </summary>
public class OpmlEncodingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_Windows_1252_OPML_is_imported_as_the_first_thing_a_fresh_process_reads()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var radar = await RunnerInstance.StartAsync("fresh", new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Radar__StoragePrefix"] = AzuriteFixture.NewPrefix(),
            ["LocalRunner__FunctionKey"] = RadarApp.FunctionKey,
            ["LocalRunner__Timers"] = "false",
            ["IngestMeasuresSchedule"] = "0 0 0 1 1 *",
            ["IngestNewsSchedule"] = "0 0 0 1 1 *",
            // The feed's address is this machine's; the guard that refuses it is not what is tested.
            ["Radar__Fetch__AllowPrivateNetworks"] = "true",
        }, ct);
        await radar.WaitUntilServingAsync(ct);
        const string Name = "Münchner Bürgerbüro – Neuigkeiten für Straße & Platz";
        var opml = CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes($"""
            <?xml version="1.0" encoding="windows-1252"?>
            <opml version="2.0">
              <head><title>Abos</title></head>
              <body><outline type="rss" text="{Name.Replace("&", "&amp;", StringComparison.Ordinal)}" xmlUrl="http://127.0.0.1:9/buergerbuero.xml" /></body>
            </opml>
            """);

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/sources.opml") { Content = new ByteArrayContent(opml) };
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await radar.Client.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        var added = Assert.Single(JsonDocument.Parse(body).RootElement.GetProperty("added").EnumerateArray());
        Assert.Equal(Name, added.GetProperty("name").GetString());
        using var list = new HttpRequestMessage(HttpMethod.Get, "api/admin/sources");
        list.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var listed = await radar.Client.SendAsync(list, ct);
        var sources = await listed.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Contains(Name, sources.ToString(), StringComparison.Ordinal);
    }
}
