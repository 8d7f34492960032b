using System.Net;
using System.Text.Json.Nodes;

namespace Radar.Testing;

/// <summary>
/// Radar with the sample radars (Munich as JSON, Musterstadt as CSV) ingested through the admin
/// route, from a copy of the samples that a test may edit and ingest again, so measures get a
/// history of more than their creation.
/// </summary>
public sealed class SampleRadars : IAsyncDisposable
{
    private readonly string _folder;
    private readonly JsonNode _original;

    private SampleRadars(RadarApp app, string folder, JsonNode original)
    {
        App = app;
        _folder = folder;
        _original = original;
    }

    public RadarApp App { get; }

    public static string SamplesFolder => Path.Combine(AzuriteFixture.RepoRoot, "samples", "measures");

    public static async Task<SampleRadars> StartAsync(
        AzuriteFixture azurite, CancellationToken cancellationToken, IDictionary<string, string?>? settings = null, string? storagePrefix = null)
    {
        var folder = Directory.CreateTempSubdirectory("radar-samples-").FullName;
        var file = Path.Combine(folder, "muenchen.json");
        File.Copy(Path.Combine(SamplesFolder, "muenchen.json"), file);
        var original = JsonNode.Parse(await File.ReadAllTextAsync(file, cancellationToken))!;
        var all = new Dictionary<string, string?>
        {
            ["Radar:Measures:DefaultRadar"] = "muenchen",
            ["Radar:Sources:0:Id"] = "muenchen",
            ["Radar:Sources:0:Url"] = "file:" + file,
            ["Radar:Sources:0:Kind"] = "measures-json",
            ["Radar:Sources:1:Id"] = "musterstadt",
            ["Radar:Sources:1:Url"] = "file:samples/measures/musterstadt.csv",
            ["Radar:Sources:1:Kind"] = "measures-csv",
            ["Radar:Sources:1:Radar"] = "musterstadt",
            ["Radar:Sources:1:Definition"] = "file:samples/measures/musterstadt.radar.json",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = await RadarApp.StartAsync(azurite, all, storagePrefix: storagePrefix);
        var radars = new SampleRadars(app, folder, original);
        await radars.IngestAsync(cancellationToken);
        return radars;
    }

    /// <summary>Rewrites Munich's source with <paramref name="edit"/> applied to its measures
    /// (by id) and ingests it.</summary>
    public async Task EditAndIngestAsync(Action<Func<string, JsonObject>> edit, CancellationToken cancellationToken)
    {
        var doc = _original.DeepClone();
        var measures = doc["measures"]!.AsArray();
        edit(id => measures.Single(m => (string?)m!["id"] == id)!.AsObject());
        await File.WriteAllTextAsync(Path.Combine(_folder, "muenchen.json"), doc.ToJsonString(), cancellationToken);
        await IngestAsync(cancellationToken);
    }

    /// <summary>Rewrites Munich's source with <paramref name="edit"/> applied to its list of
    /// measures (to add or remove some) and ingests it.</summary>
    public async Task EditListAndIngestAsync(Action<JsonArray> edit, CancellationToken cancellationToken)
    {
        var doc = _original.DeepClone();
        edit(doc["measures"]!.AsArray());
        await File.WriteAllTextAsync(Path.Combine(_folder, "muenchen.json"), doc.ToJsonString(), cancellationToken);
        await IngestAsync(cancellationToken);
    }

    public async Task IngestAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/ingest/measures");
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await App.Client.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
