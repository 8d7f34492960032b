using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;

namespace Radar.Functions.Tests.Sources;

/// <summary>The admin sources API over real HTTP against real Azurite: listing, adding,
/// replacing and deleting news sources, the SSRF guard at the door, settings sources protected,
/// OPML export and import (also hostile documents), and the function key on every route.</summary>
public class AdminSourcesTests(AzuriteFixture azurite)
{
    // Public addresses, literal, so no test depends on DNS; nothing here fetches them (the
    // timers are off).
    private const string FeedA = "https://93.184.216.34/stadt/nachrichten.xml";
    private const string FeedB = "http://93.184.216.35/rss";
    private const string SettingsFeed = "https://93.184.216.36/presse/feed.atom";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> SettingsSources() => new()
    {
        ["Radar:Sources:0:Id"] = "muenchen",
        ["Radar:Sources:0:Url"] = "file:samples/measures/muenchen.json",
        ["Radar:Sources:0:Kind"] = "measures-json",
        ["Radar:Sources:1:Id"] = "stadtportal",
        ["Radar:Sources:1:Url"] = SettingsFeed,
        ["Radar:Sources:1:Kind"] = "news",
        ["Radar:Sources:1:Name"] = "Stadtportal Pressemitteilungen",
    };

    private static async Task<HttpResponseMessage> SendAsync(RadarApp app, HttpMethod method, string path, HttpContent? content = null, bool key = true)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (key)
        {
            request.Headers.Add("x-functions-key", RadarApp.FunctionKey);
        }

        return await app.Client.SendAsync(request, Ct);
    }

    private static Task<HttpResponseMessage> PutAsync(RadarApp app, string id, object body) =>
        SendAsync(app, HttpMethod.Put, $"api/admin/sources/{id}", JsonContent.Create(body));

    private static async Task<List<JsonElement>> ListAsync(RadarApp app)
    {
        using var response = await SendAsync(app, HttpMethod.Get, "api/admin/sources");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return body.GetProperty("sources").EnumerateArray().ToList();
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return problem.GetProperty("detail").GetString()!;
    }

    private static string Id(JsonElement source) => source.GetProperty("id").GetString()!;

    [Fact]
    public async Task The_list_shows_settings_sources_with_their_kind_origin_and_state()
    {
        await using var app = await RadarApp.StartAsync(azurite, SettingsSources());

        var sources = await ListAsync(app);

        Assert.Equal(["muenchen", "stadtportal"], sources.Select(Id).Order());
        var portal = sources.Single(s => Id(s) == "stadtportal");
        Assert.Equal("news", portal.GetProperty("kind").GetString());
        Assert.Equal("settings", portal.GetProperty("origin").GetString());
        Assert.Equal("Stadtportal Pressemitteilungen", portal.GetProperty("name").GetString());
        Assert.Equal(SettingsFeed, portal.GetProperty("url").GetString());
        Assert.Equal("never-fetched", portal.GetProperty("state").GetString());
        Assert.Equal(0, portal.GetProperty("failures").GetInt32());
        Assert.Equal("measures-json", sources.Single(s => Id(s) == "muenchen").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_news_source_is_added_read_replaced_and_deleted()
    {
        await using var app = await RadarApp.StartAsync(azurite, SettingsSources());

        using var created = await PutAsync(app, "stadtanzeiger", new { url = FeedA, kind = "news", name = "Stadtanzeiger Digitales" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/admin/sources/stadtanzeiger", created.Headers.Location?.OriginalString);

        using var read = await SendAsync(app, HttpMethod.Get, "api/admin/sources/stadtanzeiger");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var source = await read.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(FeedA, source.GetProperty("url").GetString());
        Assert.Equal("news", source.GetProperty("kind").GetString());
        Assert.Equal("api", source.GetProperty("origin").GetString());
        Assert.Equal("Stadtanzeiger Digitales", source.GetProperty("name").GetString());
        Assert.Equal("never-fetched", source.GetProperty("state").GetString());
        Assert.Equal(["muenchen", "stadtanzeiger", "stadtportal"], (await ListAsync(app)).Select(Id).Order());

        using var replaced = await PutAsync(app, "stadtanzeiger", new { url = FeedB, name = "Stadtanzeiger (RSS)" });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var after = (await ListAsync(app)).Single(s => Id(s) == "stadtanzeiger");
        Assert.Equal(FeedB, after.GetProperty("url").GetString());
        Assert.Equal("Stadtanzeiger (RSS)", after.GetProperty("name").GetString());
        Assert.Equal("news", after.GetProperty("kind").GetString());

        using var deleted = await SendAsync(app, HttpMethod.Delete, "api/admin/sources/stadtanzeiger");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await SendAsync(app, HttpMethod.Get, "api/admin/sources/stadtanzeiger");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var again = await SendAsync(app, HttpMethod.Delete, "api/admin/sources/stadtanzeiger");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("stadtanzeiger", await ProblemDetailAsync(again), StringComparison.Ordinal);
        Assert.Equal(["muenchen", "stadtportal"], (await ListAsync(app)).Select(Id).Order());
    }

    private static readonly (string Url, string Refusal)[] InwardUrls =
    [
        ("http://127.0.0.1/feed.xml", "127.0.0.1 is a loopback address"),
        ("http://10.0.0.1/", "10.0.0.1 is a private-use address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://localhost/feed", "loopback address"),
        ("http://[::1]:8080/feed", "::1 is the loopback address"),
        ("http://0.0.0.0/", "0.0.0.0 is the \"this host on this network\" address"),
        ("http://192.168.178.1/rss", "192.168.178.1 is a private-use address"),
    ];

    [Fact]
    public async Task Inward_and_malformed_urls_are_refused_with_400_and_nothing_is_stored()
    {
        await using var app = await RadarApp.StartAsync(azurite);
        var cases = new List<(object Body, string Id, string Expected)>();
        foreach (var (url, refusal) in InwardUrls)
        {
            cases.Add((new { url, kind = "news" }, "innen", refusal));
        }

        cases.Add((new { url = "file:///etc/passwd", kind = "news" }, "passwd", "file: URLs are only allowed for sources in settings"));
        cases.Add((new { url = "ftp://93.184.216.34/feed" }, "ftp", "not an absolute http or https URL"));
        cases.Add((new { url = "/relative/feed.xml" }, "relativ", "not an absolute http or https URL"));
        cases.Add((new { url = "https://redaktion:geheim@93.184.216.34/feed" }, "credentials", "credentials"));
        cases.Add((new { url = "https://93.184.216.34/" + new string('a', 2100) }, "lang", "longer than 2048"));
        cases.Add((new { url = "http://feed.does-not-exist.invalid/rss" }, "unbekannt", "does not resolve"));
        cases.Add((new { url = FeedA, kind = "measures-json" }, "messung", "stay in settings"));
        cases.Add((new { url = FeedA }, "Nicht_ein_Slug", "not a slug"));
        cases.Add((new { url = FeedA, name = new string('n', 201) }, "langer-name", "'name' is longer than 200"));
        cases.Add((new { kind = "news" }, "ohne-url", "'url' is required"));

        foreach (var (body, id, expected) in cases)
        {
            using var response = await PutAsync(app, id, body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(body)}: {response.StatusCode}");
            Assert.Contains(expected, await ProblemDetailAsync(response), StringComparison.Ordinal);
        }

        using var notJson = await SendAsync(app, HttpMethod.Put, "api/admin/sources/kaputt", new StringContent("{ url: ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("not a JSON object", await ProblemDetailAsync(notJson), StringComparison.Ordinal);

        Assert.Empty(await ListAsync(app));
    }

    /// <summary>One address in every range the guard refuses (and the IPv6 forms that embed a
    /// refused IPv4 address), as literal URLs, with what the refusal must say.</summary>
    private static readonly (string Url, string Refusal)[] ReservedUrls =
    [
        ("http://0.1.2.3/rss", "a \"this network\" address (RFC 791 §3.2)"),
        ("http://100.64.1.1/rss", "a shared (carrier-grade NAT) address (RFC 6598)"),
        ("http://172.31.0.1/rss", "a private-use address (RFC 1918)"),
        ("http://192.0.0.8/rss", "the IPv4 dummy address (RFC 7600)"),
        ("http://192.0.0.171/rss", "a NAT64/DNS64 discovery address"),
        ("http://192.0.0.200/rss", "an IETF protocol assignment address (RFC 6890 §2.1)"),
        ("http://192.0.2.2/rss", "a documentation address (TEST-NET-1) (RFC 5737)"),
        ("http://198.18.0.1/rss", "a benchmarking address (RFC 2544)"),
        ("http://198.51.100.20/rss", "a documentation address (TEST-NET-2) (RFC 5737)"),
        ("https://203.0.113.10/stadt/nachrichten.xml", "a documentation address (TEST-NET-3) (RFC 5737)"),
        ("http://239.1.2.3/rss", "a multicast address (RFC 5771)"),
        ("http://250.1.2.3/rss", "a reserved address (RFC 1112 §4)"),
        ("http://255.255.255.255/rss", "the limited broadcast address"),
        ("http://168.63.129.16/machine?comp=goalstate", "Azure's host endpoint (WireServer)"),
        ("http://[::ffff:169.254.169.254]/latest/meta-data/", "a link-local address (RFC 3927)"),
        ("http://[::127.0.0.1]/rss", "an IPv4-compatible address (RFC 4291 §2.5.5.1) embedding 127.0.0.1, a loopback address"),
        ("http://[64:ff9b::7f00:1]/rss", "a NAT64 address (RFC 6052) embedding 127.0.0.1, a loopback address"),
        ("http://[64:ff9b::a9fe:a9fe]/latest/meta-data/", "a NAT64 address (RFC 6052) embedding 169.254.169.254, a link-local address"),
        ("http://[64:ff9b:1::c000:202]/rss", "a local-use NAT64 address (RFC 8215) embedding 192.0.2.2"),
        ("http://[64:ff9b:1::5db8:d822]/rss", "a local-use IPv4/IPv6 translation (NAT64) address (RFC 8215)"),
        ("http://[2002:7f00:1::]/rss", "a 6to4 address (RFC 3056) embedding 127.0.0.1, a loopback address"),
        ("http://[2002:a00:1::1]/rss", "a 6to4 address (RFC 3056) embedding 10.0.0.1, a private-use address"),
        ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/rss", "a Teredo address (RFC 4380) embedding 127.0.0.1, a loopback address"),
        ("http://[100::1]/rss", "a discard-only address (RFC 6666)"),
        ("http://[2001:2::1]/rss", "a benchmarking address (RFC 5180)"),
        ("http://[2001:db8::1]/rss", "a documentation address (RFC 3849)"),
        ("http://[3fff::1]/rss", "a documentation address (RFC 9637)"),
        ("http://[5f00::1]/rss", "a segment routing (SRv6) SID (RFC 9602)"),
        ("http://[fd00::2]/rss", "a unique-local address (RFC 4193)"),
        ("http://[fe80::1]/rss", "a link-local address (RFC 4291)"),
        ("http://[fec0::1]/rss", "a site-local address (RFC 3879)"),
        ("http://[ff02::1]/rss", "a multicast address"),
    ];

    /// <summary>Names the test's resolver answers (no DNS, no /etc/hosts): "name" → addresses.</summary>
    private static readonly Dictionary<string, string> Names = new()
    {
        ["intern.example.test"] = "192.0.2.2",
        ["nat64.example.test"] = "64:ff9b::a00:1",
        ["beides.example.test"] = "93.184.216.34, 10.0.0.1",
        ["oeffentlich.example.test"] = "93.184.216.34",
    };

    private sealed class NamesResolver : Radar.Core.Sources.IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult(Names.TryGetValue(host, out var list)
                ? list.Split(',', StringSplitOptions.TrimEntries).Select(IPAddress.Parse).ToArray()
                : throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
    }

    [Fact]
    public async Task Every_reserved_range_and_every_IPv4_embedding_is_refused_at_the_door()
    {
        await using var app = await RadarApp.StartAsync(azurite,
            configureServices: services => services.AddSingleton<Radar.Core.Sources.IHostResolver>(new NamesResolver()));
        var refused = ReservedUrls.Select(r => (r.Url, r.Refusal)).ToList();
        refused.Add(("http://intern.example.test/rss", "intern.example.test resolves to 192.0.2.2, a documentation address (TEST-NET-1)"));
        refused.Add(("http://nat64.example.test/rss", "nat64.example.test resolves to 64:ff9b::a00:1, a NAT64 address (RFC 6052) embedding 10.0.0.1, a private-use address"));
        refused.Add(("http://beides.example.test/rss", "beides.example.test resolves to 10.0.0.1, a private-use address"));

        var problems = new List<string>();
        foreach (var (url, refusal) in refused)
        {
            using var response = await PutAsync(app, "reserviert", new { url, kind = "news" });
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
            if (response.StatusCode != HttpStatusCode.BadRequest || !problem.TryGetProperty("code", out var code) || code.GetString() != "ssrf" ||
                detail?.Contains(refusal, StringComparison.Ordinal) != true)
            {
                problems.Add($"{url}: {(int)response.StatusCode} {detail}");
            }
        }

        // The embedded address decides: the same forms around a public address are accepted.
        var accepted = new[]
        {
            "http://[::ffff:93.184.216.34]/rss", "http://[64:ff9b::5db8:d822]/rss", "http://[2002:5db8:d822::1]/rss",
            "http://[2a00:1450:4001:82b::200e]/rss", "http://oeffentlich.example.test/rss",
        };
        for (var i = 0; i < accepted.Length; i++)
        {
            using var response = await PutAsync(app, $"oeffentlich-{i}", new { url = accepted[i], kind = "news" });
            if (response.StatusCode != HttpStatusCode.Created)
            {
                problems.Add($"{accepted[i]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(accepted.Length, (await ListAsync(app)).Count);
    }

    [Fact]
    public async Task The_machines_own_address_is_refused_at_the_door_unless_allowed_networks_name_it()
    {
        var own = Radar.Core.Sources.MachineAddresses.Shared.Current()
            .First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        await using var app = await RadarApp.StartAsync(azurite);
        using var refused = await PutAsync(app, "eigene-adresse", new { url = $"http://{own}:8080/rss" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.StartsWith($"{own} is ", await ProblemDetailAsync(refused), StringComparison.Ordinal);

        await using var open = await RadarApp.StartAsync(azurite, new Dictionary<string, string?> { ["Radar:Fetch:AllowedNetworks"] = own.ToString() });
        using var allowed = await PutAsync(open, "eigene-adresse", new { url = $"http://{own}:8080/rss" });
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
    }

    [Fact]
    public async Task Settings_can_allow_private_networks_for_api_sources()
    {
        await using var open = await RadarApp.StartAsync(azurite, new Dictionary<string, string?> { ["Radar:Fetch:AllowPrivateNetworks"] = "true" });
        using var loopback = await PutAsync(open, "intranet", new { url = "http://127.0.0.1:8080/feed.xml", name = "Intranet" });
        Assert.Equal(HttpStatusCode.Created, loopback.StatusCode);
        Assert.Equal("http://127.0.0.1:8080/feed.xml", Assert.Single(await ListAsync(open)).GetProperty("url").GetString());

        await using var narrow = await RadarApp.StartAsync(azurite, new Dictionary<string, string?> { ["Radar:Fetch:AllowedNetworks"] = "10.20.0.0/16" });
        using var allowed = await PutAsync(narrow, "stadtnetz", new { url = "http://10.20.1.5/rss" });
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        using var other = await PutAsync(narrow, "anderes-netz", new { url = "http://10.21.1.5/rss" });
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    public async Task Settings_sources_cannot_be_replaced_or_deleted_through_the_api()
    {
        await using var app = await RadarApp.StartAsync(azurite, SettingsSources());

        using var put = await PutAsync(app, "stadtportal", new { url = FeedA });
        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        Assert.Contains("settings", await ProblemDetailAsync(put), StringComparison.Ordinal);
        using var delete = await SendAsync(app, HttpMethod.Delete, "api/admin/sources/muenchen");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("change or remove it there", await ProblemDetailAsync(delete), StringComparison.Ordinal);
        using var twin = await PutAsync(app, "zweitportal", new { url = SettingsFeed });
        Assert.Equal(HttpStatusCode.Conflict, twin.StatusCode);
        Assert.Contains("'stadtportal'", await ProblemDetailAsync(twin), StringComparison.Ordinal);

        var portal = (await ListAsync(app)).Single(s => Id(s) == "stadtportal");
        Assert.Equal(SettingsFeed, portal.GetProperty("url").GetString());
        Assert.Equal(2, (await ListAsync(app)).Count);
    }

    [Fact]
    public async Task Opml_export_imported_into_a_fresh_instance_yields_the_same_sources()
    {
        await using var first = await RadarApp.StartAsync(azurite, SettingsSources());
        (await PutAsync(first, "stadtanzeiger", new { url = FeedA, name = "Stadtanzeiger – Digitales & Verwaltung" })).Dispose();
        (await PutAsync(first, "kommunal-digital", new { url = FeedB, name = "Kommunal <Digital>" })).Dispose();

        using var export = await SendAsync(first, HttpMethod.Get, "api/admin/sources.opml");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/x-opml", export.Content.Headers.ContentType?.MediaType);
        var opml = await export.Content.ReadAsByteArrayAsync(Ct);
        var outlines = XDocument.Parse(Encoding.UTF8.GetString(opml)).Descendants("outline").ToList();
        Assert.Equal("2.0", XDocument.Parse(Encoding.UTF8.GetString(opml)).Root!.Attribute("version")?.Value);
        Assert.Equal([FeedB, FeedA, SettingsFeed], outlines.Select(o => o.Attribute("xmlUrl")!.Value));
        Assert.All(outlines, o => Assert.Equal("rss", o.Attribute("type")?.Value));
        Assert.Equal("Kommunal <Digital>", outlines[0].Attribute("title")?.Value);
        Assert.Equal("Kommunal <Digital>", outlines[0].Attribute("text")?.Value);

        await using var second = await RadarApp.StartAsync(azurite);
        using var import = await SendAsync(second, HttpMethod.Post, "api/admin/sources.opml", new ByteArrayContent(opml));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var report = await import.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(3, report.GetProperty("added").GetArrayLength());
        Assert.Equal(0, report.GetProperty("refused").GetArrayLength());

        var before = (await ListAsync(first)).Where(s => s.GetProperty("kind").GetString() == "news")
            .Select(s => (Id(s), s.GetProperty("url").GetString(), s.GetProperty("name").GetString())).Order();
        var after = (await ListAsync(second))
            .Select(s => (Id(s), s.GetProperty("url").GetString(), s.GetProperty("name").GetString())).Order();
        Assert.Equal(before, after);
        Assert.All(await ListAsync(second), s => Assert.Equal("api", s.GetProperty("origin").GetString()));

        using var twice = await SendAsync(second, HttpMethod.Post, "api/admin/sources.opml", new ByteArrayContent(opml));
        var unchanged = await twice.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(0, unchanged.GetProperty("added").GetArrayLength());
        Assert.Equal(3, unchanged.GetProperty("unchanged").GetArrayLength());
        Assert.Equal(3, (await ListAsync(second)).Count);
    }

    [Fact]
    public async Task Opml_import_takes_feeds_from_folders_and_reports_each_refused_one()
    {
        await using var app = await RadarApp.StartAsync(azurite, SettingsSources());
        const string Opml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="1.0">
              <head><title>Meine Abos</title></head>
              <body>
                <outline text="Kommunen">
                  <outline text="Digitales">
                    <outline type="rss" text="Stadtanzeiger" xmlUrl="https://93.184.216.34/stadt/nachrichten.xml" />
                    <outline type="rss" text="Router" xmlUrl="http://192.168.0.1/feed" />
                  </outline>
                  <outline type="rss" title="Behörden-Spiegel" xmlurl="http://93.184.216.35/rss" />
                </outline>
                <outline type="rss" text="Nochmal" xmlUrl="https://93.184.216.34/stadt/nachrichten.xml" />
                <outline type="rss" text="Datei" xmlUrl="file:///etc/passwd" />
                <outline type="rss" text="Kaputt" xmlUrl="nicht eine URL" />
                <outline type="rss" text="Portal" xmlUrl="https://93.184.216.36/presse/feed.atom" />
                <outline type="link" text="Keine Quelle" url="https://93.184.216.34/" />
              </body>
            </opml>
            """;

        using var response = await SendAsync(app, HttpMethod.Post, "api/admin/sources.opml", new StringContent(Opml, Encoding.UTF8, "text/x-opml"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        var added = report.GetProperty("added").EnumerateArray().ToList();
        Assert.Equal(["https://93.184.216.34/stadt/nachrichten.xml", "http://93.184.216.35/rss"], added.Select(a => a.GetProperty("url").GetString()));
        Assert.Equal("Behörden-Spiegel", added[1].GetProperty("name").GetString());
        Assert.Equal("stadtportal", Assert.Single(report.GetProperty("unchanged").EnumerateArray()).GetProperty("id").GetString());
        var refused = report.GetProperty("refused").EnumerateArray()
            .ToDictionary(r => r.GetProperty("url").GetString()!, r => r.GetProperty("code").GetString());
        Assert.Equal("ssrf", refused["http://192.168.0.1/feed"]);
        Assert.Equal("duplicate", refused["https://93.184.216.34/stadt/nachrichten.xml"]);
        Assert.Equal("bad-url", refused["file:///etc/passwd"]);
        Assert.Equal("bad-url", refused["nicht eine URL"]);
        Assert.Equal(4, refused.Count);

        var sources = await ListAsync(app);
        Assert.Equal(4, sources.Count);
        Assert.DoesNotContain(sources, s => s.GetProperty("url").GetString()!.Contains("192.168.", StringComparison.Ordinal));
    }

    private static readonly (string Document, string Expected)[] HostileOpml =
    [
        (
            """
            <?xml version="1.0"?>
            <!DOCTYPE opml [
              <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
              <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
              <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
              <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
            ]>
            <opml version="2.0"><body><outline text="&e;" xmlUrl="https://93.184.216.34/bomb" /></body></opml>
            """,
            "DTD"),
        (
            """
            <?xml version="1.0"?>
            <!DOCTYPE opml [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <opml version="2.0"><body><outline text="&xxe;" xmlUrl="https://93.184.216.34/xxe" /></body></opml>
            """,
            "DTD"),
        ("Das ist kein XML, sondern ein Brief.", "not well-formed XML"),
        ("""<opml version="2.0"><body><outline xmlUrl="https://93.184.216.34/halb" """, "not well-formed XML"),
        ("""<rss version="2.0"><channel><title>Feed statt OPML</title></channel></rss>""", "not <opml>"),
        ("""<opml version="2.0"><head /></opml>""", "no <body>"),
    ];

    [Fact]
    public async Task Hostile_or_broken_opml_is_a_400_and_adds_nothing()
    {
        await using var app = await RadarApp.StartAsync(azurite);
        foreach (var (document, expected) in HostileOpml)
        {
            using var response = await SendAsync(app, HttpMethod.Post, "api/admin/sources.opml", new StringContent(document, Encoding.UTF8, "text/x-opml"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{document[..Math.Min(60, document.Length)]}: {response.StatusCode}");
            Assert.Contains(expected, await ProblemDetailAsync(response), StringComparison.Ordinal);
        }

        // 10 MB: refused by its length, before anything is parsed, also when the length is not announced.
        var huge = "<opml version=\"2.0\"><body>" + string.Concat(Enumerable.Repeat("<outline text=\"x\" xmlUrl=\"https://93.184.216.34/a\" />", 200_000)) + "</body></opml>";
        Assert.True(huge.Length > 10_000_000);
        using var announced = await SendAsync(app, HttpMethod.Post, "api/admin/sources.opml", new StringContent(huge, Encoding.UTF8, "text/x-opml"));
        Assert.Equal(HttpStatusCode.BadRequest, announced.StatusCode);
        Assert.Contains("larger than 1 MB", await ProblemDetailAsync(announced), StringComparison.Ordinal);
        using var streamed = await SendAsync(app, HttpMethod.Post, "api/admin/sources.opml",
            new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(huge))));
        Assert.Equal(HttpStatusCode.BadRequest, streamed.StatusCode);
        Assert.Contains("larger than 1 MB", await ProblemDetailAsync(streamed), StringComparison.Ordinal);

        Assert.Empty(await ListAsync(app));
    }

    [Fact]
    public async Task Every_admin_sources_route_needs_the_function_key()
    {
        await using var app = await RadarApp.StartAsync(azurite, SettingsSources());
        var calls = new (HttpMethod Method, string Path, Func<HttpContent?> Body)[]
        {
            (HttpMethod.Get, "api/admin/sources", () => null),
            (HttpMethod.Get, "api/admin/sources/stadtportal", () => null),
            (HttpMethod.Put, "api/admin/sources/neu", () => JsonContent.Create(new { url = FeedA })),
            (HttpMethod.Delete, "api/admin/sources/stadtportal", () => null),
            (HttpMethod.Get, "api/admin/sources.opml", () => null),
            (HttpMethod.Post, "api/admin/sources.opml", () => new StringContent("""<opml version="2.0"><body><outline xmlUrl="https://93.184.216.34/x" /></body></opml>""")),
        };

        foreach (var (method, path, body) in calls)
        {
            using var response = await SendAsync(app, method, path, body(), key: false);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {response.StatusCode}");
        }

        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "api/admin/sources");
        wrongKey.Headers.Add("x-functions-key", "not-the-key");
        using var wrong = await app.Client.SendAsync(wrongKey, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var sources = await ListAsync(app);
        Assert.Equal(["muenchen", "stadtportal"], sources.Select(Id).Order());
    }

    /// <summary>A body sent chunked, without Content-Length.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
