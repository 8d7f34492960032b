using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Radar.Core.News;

namespace Radar.Functions.Tests.Syndication;

/// <summary>
/// One Radar for the feed tests: the Munich sample ingested, then edited and ingested again
/// (the WLAN measure moves from "In Umsetzung" to "Umgesetzt" and reaches 100 %, the E-Akte
/// gets more progress and a new goal), and three news items written through the real store
/// (one about WLAN, one about the E-Akte, one about neither). Answers are built per request
/// (<c>Radar:Http:CacheSeconds=0</c>) and URLs are made absolute from <c>Radar:PublicUrl</c>.
/// </summary>
public sealed class FeedSite(AzuriteFixture azurite) : IAsyncLifetime
{
    public const string PublicUrl = "https://radar.example";
    public static readonly NewsSourceRef Portal = new("stadtportal-muenchen", "Stadtportal München");
    public static readonly NewsSourceRef Kommunal = new("kommunal-digital", "Kommunal Digital");

    public RadarApp App { get; private set; } = null!;

    public DateTimeOffset FirstIngest { get; private set; }

    public DateTimeOffset SecondIngest { get; private set; }

    /// <summary>The second ingest's changes (ids say when they were seen, so read back).</summary>
    public string WlanStatusChange { get; private set; } = "";

    public string AkteUpdate { get; private set; } = "";

    /// <summary>The id of the newest change of a measure (<c>/api/measures/{id}</c>, newest first).</summary>
    public static async Task<string> NewestChangeIdAsync(RadarApp app, string measureId)
    {
        var detail = JsonNode.Parse(await app.Client.GetStringAsync("api/measures/" + measureId))!;
        return (string)detail["changes"]![0]!["id"]!;
    }

    public static Dictionary<string, string?> Settings(string muenchenFile, int cacheSeconds = 0) => new()
    {
        ["Radar:PublicUrl"] = PublicUrl,
        ["Radar:Http:CacheSeconds"] = cacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Radar:Measures:DefaultRadar"] = "muenchen",
        ["Radar:Sources:0:Id"] = "muenchen",
        ["Radar:Sources:0:Url"] = "file:" + muenchenFile,
        ["Radar:Sources:0:Kind"] = "measures-json",
    };

    public static string CopySample()
    {
        var folder = Directory.CreateTempSubdirectory("radar-feeds-").FullName;
        var file = Path.Combine(folder, "muenchen.json");
        File.Copy(Path.Combine(AzuriteFixture.RepoRoot, "samples", "measures", "muenchen.json"), file);
        return file;
    }

    public static async Task EditAsync(string file, Action<JsonArray> edit)
    {
        var doc = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        edit(doc["measures"]!.AsArray());
        await File.WriteAllTextAsync(file, doc.ToJsonString());
    }

    public static async Task IngestAsync(RadarApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/admin/ingest/measures");
        request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        using var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async ValueTask InitializeAsync()
    {
        var file = CopySample();
        App = await RadarApp.StartAsync(azurite, Settings(file));
        FirstIngest = DateTimeOffset.UtcNow;
        await IngestAsync(App);
        await EditAsync(file, measures =>
        {
            var wlan = measures.Single(m => (string?)m!["id"] == "oeffentliches-wlan")!;
            wlan["status"] = "umgesetzt";
            wlan["progress"] = 100;
            var akte = measures.Single(m => (string?)m!["id"] == "elektronische-akte")!;
            akte["progress"] = 80;
            akte["goals"]!.AsArray().Add("Alle Referate arbeiten bis 2027 mit der E-Akte.");
        });

        // Changes are stamped by the clock: the news goes between the two ingests.
        var store = App.Services.GetRequiredService<CrossSourceDedupe>();
        var now = DateTimeOffset.UtcNow; // after every change of the first ingest, before those of the second
        await store.StoreAsync(News("wlan-hotspots", "M-WLAN: 46 neue Hotspots am Marienplatz und in Schwabing", now.AddMilliseconds(1), Portal,
            ["WLAN", "Hotspot"], ["oeffentliches-wlan"], "<p>Die Stadtwerke München haben <strong>46</strong> neue Hotspots in Betrieb genommen.</p>"), default);
        await store.StoreAsync(News("e-akte-kvr", "E-Akte im Kreisverwaltungsreferat eingeführt", now.AddMilliseconds(2), Kommunal,
            ["E-Akte"], ["elektronische-akte"], "<p>Das KVR arbeitet jetzt papierlos.</p>"), default);
        await store.StoreAsync(News("thueringen", "Thüringen novelliert E-Government-Gesetz", now.AddMilliseconds(3), Kommunal,
            ["E-Government"], [], "<p>Ein Gesetz aus Erfurt.</p>"), default);
        await App.PublishStoredNewsAsync(default);
        SecondIngest = DateTimeOffset.UtcNow;
        await IngestAsync(App);
        WlanStatusChange = await NewestChangeIdAsync(App, "oeffentliches-wlan");
        AkteUpdate = await NewestChangeIdAsync(App, "elektronische-akte");
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();

    private static NewsItem News(string key, string title, DateTimeOffset published, NewsSourceRef source, string[] tags, string[] related, string html) => new()
    {
        Key = key,
        Title = title,
        Link = $"https://news.example/{key}?a=1&b=2",
        Published = published,
        Summary = $"Kurz: {title}",
        ContentHtml = html,
        Author = "Redaktion",
        Tags = tags,
        Language = "de",
        Sources = [source],
        RelatedMeasures = related,
    };
}

/// <summary>Programs outside .NET that read what Radar writes: Debian's feedparser and jing.</summary>
public static class IndependentClients
{
    /// <summary>Debian's Python (the one <c>python3-feedparser</c> installs into), not a pyenv shim.</summary>
    public const string Python = "/usr/bin/python3";
    public const string Jing = "/usr/bin/jing";

    private const string FeedparserScript = """
        import json, sys, calendar, feedparser
        d = feedparser.parse(sys.argv[1])
        def when(t): return calendar.timegm(t) if t else None
        print(json.dumps({
          "bozo": bool(d.bozo), "bozo_exception": str(d.get("bozo_exception", "")), "version": d.version,
          "title": d.feed.get("title"), "subtitle": d.feed.get("subtitle"), "link": d.feed.get("link"),
          "links": [{"rel": l.get("rel"), "href": l.get("href"), "type": l.get("type")} for l in d.feed.get("links", [])],
          "updated": when(d.feed.get("updated_parsed")),
          "entries": [{
            "id": e.get("id"), "title": e.get("title"), "link": e.get("link"),
            "published": when(e.get("published_parsed")), "updated": when(e.get("updated_parsed")),
            "tags": [t.get("term") for t in e.get("tags", [])],
            "summary": e.get("summary"),
            "content": [c.get("value") for c in e.get("content", [])],
            "source": (e.get("source") or {}).get("title"),
            "author": e.get("author"),
          } for e in d.entries],
        }, ensure_ascii=False))
        """;

    public static async Task<JsonNode> FeedparserAsync(byte[] feed)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, feed);
        try
        {
            var (exit, output, error) = await RunAsync(Python, ["-c", FeedparserScript, file]);
            Assert.True(exit == 0, $"feedparser failed ({exit}): {error}. Install Debian's python3-feedparser (apt-get install python3-feedparser).");
            return JsonNode.Parse(output)!;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>jing's exit code and messages for an Atom document against RFC 4287's schema.</summary>
    public static async Task<(int Exit, string Messages)> JingAsync(byte[] atom)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, atom);
        try
        {
            var schema = Path.Combine(AppContext.BaseDirectory, "Schemas", "atom.rnc");
            var (exit, output, error) = await RunAsync(Jing, ["-c", schema, file]);
            // Debian's wrapper warns about optional jars it does not find; those lines are not findings.
            var messages = string.Join('\n', (output + error).Split('\n').Where(l => l.Length > 0 && !l.Contains("[warning]", StringComparison.Ordinal)));
            return (exit, messages);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string program, string[] arguments)
    {
        Assert.True(File.Exists(program), $"{program} is missing: install Debian's python3-feedparser and jing (see .ci/run).");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
