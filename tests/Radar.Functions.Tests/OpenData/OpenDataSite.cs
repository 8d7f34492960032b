using System.Diagnostics;
using System.Net;

namespace Radar.Functions.Tests.OpenData;

/// <summary>
/// One Radar for the open-data tests: Munich as its five sample editions (2020–2023 from the
/// source's <c>Editions</c> list, 2024 as its current file) and Musterstadt from CSV, ingested
/// through the admin route, with the open-data settings a city would set.
/// </summary>
public sealed class OpenDataSite(AzuriteFixture azurite) : IAsyncLifetime
{
    public const string PublicUrl = "https://radar.example/";
    public const string Publisher = "Landeshauptstadt München (Beispiel)";
    public const string Attribution = "Landeshauptstadt München, Digitalisierungsradar (Beispieldaten)";
    public const string License = "http://dcat-ap.de/def/licenses/dl-by-de/2.0";
    public const string ContributorId = "http://dcat-ap.de/def/contributors/beispielMuenchen";
    public const string Spatial = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/091620000";

    public static readonly string[] MunichEditions = ["2020", "2021", "2022", "2023", "2024"];

    public RadarApp App { get; private set; } = null!;

    public static string Samples => Path.Combine(AzuriteFixture.RepoRoot, "samples", "measures");

    /// <summary>Where a sample edition of Munich is (2024 is the current file).</summary>
    public static string MunichFile(string edition) =>
        edition == "2024" ? Path.Combine(Samples, "muenchen.json") : Path.Combine(Samples, "muenchen-editions", edition + ".json");

    public async ValueTask InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Radar:PublicUrl"] = PublicUrl,
            ["Radar:Http:CacheSeconds"] = "0",
            ["Radar:Measures:DefaultRadar"] = "muenchen",
            ["Radar:OpenData:Publisher"] = Publisher,
            ["Radar:OpenData:Attribution"] = Attribution,
            ["Radar:OpenData:License"] = License,
            ["Radar:OpenData:ContributorId"] = ContributorId,
            ["Radar:OpenData:Spatial"] = Spatial,
            ["Radar:Sources:0:Id"] = "muenchen",
            ["Radar:Sources:0:Url"] = "file:samples/measures/muenchen.json",
            ["Radar:Sources:0:Kind"] = "measures-json",
            ["Radar:Sources:1:Id"] = "musterstadt",
            ["Radar:Sources:1:Url"] = "file:samples/measures/musterstadt.csv",
            ["Radar:Sources:1:Kind"] = "measures-csv",
            ["Radar:Sources:1:Radar"] = "musterstadt",
            ["Radar:Sources:1:Definition"] = "file:samples/measures/musterstadt.radar.json",
        };
        for (var i = 0; i < 4; i++)
        {
            settings[$"Radar:Sources:0:Editions:{i}"] = $"file:samples/measures/muenchen-editions/{MunichEditions[i]}.json";
        }

        App = await RadarApp.StartAsync(azurite, settings);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/ingest/measures");
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await App.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();

    /// <summary>A public URL of the catalogue, fetched from this app instead.</summary>
    public static string Local(string publicUrl)
    {
        Assert.StartsWith(PublicUrl, publicUrl, StringComparison.Ordinal);
        return publicUrl[PublicUrl.Length..];
    }

    /// <summary>Runs Debian's Python (where <c>python3-rdflib</c> is installed, see .ci/run) with a script.</summary>
    public static async Task<(int Exit, string Output, string Error)> PythonAsync(string script, params string[] arguments)
    {
        const string Python = "/usr/bin/python3";
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's python3-rdflib (see .ci/run).");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
