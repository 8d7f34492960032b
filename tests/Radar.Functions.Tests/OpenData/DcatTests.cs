using System.Net;
using System.Text.Json.Nodes;
using Radar.Core.Measures;
using Radar.Core.OpenData;

namespace Radar.Functions.Tests.OpenData;

/// <summary>
/// The DCAT-AP.de description as an open-data portal's harvester reads it: the JSON-LD expanded
/// with its own context in C#, the Turtle parsed by an independent RDF library (Debian's
/// rdflib, which also checks that both say the same graph), and the same structure asserted on
/// each: one catalogue, a dataset per radar, a JSON and a CSV distribution for the current state
/// and every edition, the licence, attribution, publisher and contributor from settings, and
/// nothing but absolute URIs.
/// </summary>
public class DcatTests(OpenDataSite site) : IClassFixture<OpenDataSite>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private const string Dcat = "http://www.w3.org/ns/dcat#";
    private const string Dct = "http://purl.org/dc/terms/";
    private const string DcatDe = "http://dcat-ap.de/def/dcatde/";
    private const string Foaf = "http://xmlns.com/foaf/0.1/";
    private const string Xsd = "http://www.w3.org/2001/XMLSchema#";

    /// <summary>A triple's object: an IRI, or a literal with its language or datatype.</summary>
    public sealed record Term(string? Iri, string? Value, string? Language, string? Datatype);

    public sealed record Triple(string Subject, string Predicate, Term Target);

    /// <summary>Reads both documents with rdflib: the Turtle's triples, and whether the JSON-LD is the same graph.</summary>
    private const string RdflibScript = """
        import json, sys
        from rdflib import Graph, URIRef, Literal, BNode
        from rdflib.compare import isomorphic
        turtle = Graph().parse(sys.argv[1], format="turtle")
        jsonld = Graph().parse(sys.argv[2], format="json-ld") if len(sys.argv) > 2 else turtle
        def term(o):
            if isinstance(o, Literal):
                return {"value": str(o), "language": o.language, "datatype": str(o.datatype) if o.datatype else None}
            return {"iri": str(o), "blank": isinstance(o, BNode)}
        print(json.dumps({
            "isomorphic": isomorphic(turtle, jsonld), "jsonldTriples": len(jsonld),
            "triples": [{"s": term(s), "p": str(p), "o": term(o)} for s, p, o in turtle],
        }, ensure_ascii=False))
        """;

    private static async Task<(bool Isomorphic, int JsonLdTriples, List<Triple> Triples)> RdflibAsync(string turtle, byte[]? jsonld = null)
    {
        var turtleFile = Path.GetTempFileName();
        var jsonldFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(turtleFile, turtle, Ct);
        await File.WriteAllBytesAsync(jsonldFile, jsonld ?? [], Ct);
        try
        {
            var (exit, output, error) = await OpenDataSite.PythonAsync(RdflibScript, jsonld is null ? [turtleFile] : [turtleFile, jsonldFile]);
            Assert.True(exit == 0, $"rdflib could not read the catalogue ({exit}): {error}");
            var result = JsonNode.Parse(output)!;
            var triples = result["triples"]!.AsArray().Select(t =>
            {
                Assert.False((bool?)t!["s"]!["blank"] ?? false, "no blank nodes: every resource is named");
                return new Triple((string)t["s"]!["iri"]!, (string)t["p"]!, ToTerm(t["o"]!));
            }).ToList();
            return ((bool)result["isomorphic"]!, (int)result["jsonldTriples"]!, triples);
        }
        finally
        {
            File.Delete(turtleFile);
            File.Delete(jsonldFile);
        }

        static Term ToTerm(JsonNode o) => o["iri"] is { } iri
            ? new Term((string)iri!, null, null, null)
            : new Term(null, (string)o["value"]!, (string?)o["language"], (string?)o["datatype"]);
    }

    /// <summary>The JSON-LD expanded in C# with its own <c>@context</c> (prefixes only, as documented).</summary>
    private static List<Triple> ExpandJsonLd(byte[] body)
    {
        var document = JsonNode.Parse(body)!.AsObject();
        var prefixes = document["@context"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
        Assert.Equal(["dcat", "dct", "dcatde", "foaf", "vcard", "xsd"], prefixes.Keys);
        string Expand(string name)
        {
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && prefixes.TryGetValue(name[..colon], out var ns) ? ns + name[(colon + 1)..] : name;
        }

        var triples = new List<Triple>();
        foreach (var node in document["@graph"]!.AsArray().Select(n => n!.AsObject()))
        {
            var subject = (string)node["@id"]!;
            foreach (var (key, value) in node)
            {
                if (key == "@id")
                {
                    continue;
                }

                foreach (var item in value!.AsArray())
                {
                    triples.Add(key == "@type"
                        ? new Triple(subject, Rdf + "type", new Term(Expand((string)item!), null, null, null))
                        : new Triple(subject, Expand(key), item!["@id"] is { } id
                            ? new Term((string)id!, null, null, null)
                            : new Term(null, (string)item["@value"]!, (string?)item["@language"], item["@type"] is { } type ? Expand((string)type!) : null)));
                }
            }
        }

        return triples;
    }

    private static List<Term> Values(List<Triple> triples, string subject, string predicate) =>
        [.. triples.Where(t => t.Subject == subject && t.Predicate == predicate).Select(t => t.Target)];

    private static Term One(List<Triple> triples, string subject, string predicate)
    {
        var values = Values(triples, subject, predicate);
        Assert.True(values.Count == 1, $"{subject} has {values.Count} {predicate}");
        return values[0];
    }

    private static bool IsA(List<Triple> triples, string subject, string type) =>
        triples.Any(t => t.Subject == subject && t.Predicate == Rdf + "type" && t.Target.Iri == type);

    /// <summary>What DCAT-AP.de asks of a catalogue, its datasets and distributions, and what the settings say.</summary>
    private static List<string> CheckCatalog(List<Triple> triples)
    {
        var catalog = Assert.Single(triples, t => t.Predicate == Rdf + "type" && t.Target.Iri == Dcat + "Catalog").Subject;
        Assert.Equal("de", One(triples, catalog, Dct + "title").Language);
        Assert.NotNull(One(triples, catalog, Dct + "description").Value);
        var publisher = One(triples, catalog, Dct + "publisher").Iri!;
        Assert.True(IsA(triples, publisher, Foaf + "Organization"));
        Assert.Equal(OpenDataSite.Publisher, One(triples, publisher, Foaf + "name").Value);

        var datasets = Values(triples, catalog, Dcat + "dataset").Select(d => d.Iri!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([OpenDataSite.PublicUrl + "api/opendata/muenchen", OpenDataSite.PublicUrl + "api/opendata/musterstadt"], datasets);
        var downloads = new List<string>();
        foreach (var dataset in datasets)
        {
            Assert.True(IsA(triples, dataset, Dcat + "Dataset"), dataset);
            Assert.Equal("de", One(triples, dataset, Dct + "title").Language);
            Assert.Equal("de", One(triples, dataset, Dct + "description").Language);
            Assert.Equal(publisher, One(triples, dataset, Dct + "publisher").Iri);
            Assert.Equal("http://publications.europa.eu/resource/authority/data-theme/GOVE", One(triples, dataset, Dcat + "theme").Iri);
            Assert.Equal(OpenDataSite.ContributorId, One(triples, dataset, DcatDe + "contributorID").Iri);
            Assert.Equal(OpenDataSite.Spatial, One(triples, dataset, Dct + "spatial").Iri);
            Assert.Equal(Xsd + "dateTime", One(triples, dataset, Dct + "modified").Datatype);
            Assert.NotNull(One(triples, dataset, Dct + "issued").Value);

            var distributions = Values(triples, dataset, Dcat + "distribution").Select(d => d.Iri!).ToList();
            foreach (var distribution in distributions)
            {
                Assert.True(IsA(triples, distribution, Dcat + "Distribution"), distribution);
                var url = One(triples, distribution, Dcat + "downloadURL").Iri!;
                Assert.Equal(url, One(triples, distribution, Dcat + "accessURL").Iri);
                var json = url.EndsWith(".json", StringComparison.Ordinal);
                Assert.Equal("http://publications.europa.eu/resource/authority/file-type/" + (json ? "JSON" : "CSV"), One(triples, distribution, Dct + "format").Iri);
                Assert.Equal("https://www.iana.org/assignments/media-types/" + (json ? "application/json" : "text/csv"), One(triples, distribution, Dcat + "mediaType").Iri);
                Assert.Equal(OpenDataSite.License, One(triples, distribution, Dct + "license").Iri);
                Assert.Equal(OpenDataSite.Attribution, One(triples, distribution, DcatDe + "licenseAttributionByText").Value);
                Assert.Equal("de", One(triples, distribution, Dct + "title").Language);
                downloads.Add(url);
            }
        }

        var munich = OpenDataSite.MunichEditions.Prepend("current").SelectMany(e => new[] { "json", "csv" }.Select(x => $"{OpenDataSite.PublicUrl}api/opendata/muenchen/{e}.{x}"));
        var muster = new[] { "json", "csv" }.Select(x => $"{OpenDataSite.PublicUrl}api/opendata/musterstadt/current.{x}");
        Assert.Equal(munich.Concat(muster).Order(StringComparer.Ordinal), downloads.Order(StringComparer.Ordinal));
        var firstEdition = JsonMeasureReader.Read(File.ReadAllBytes(OpenDataSite.MunichFile("2020"))).Edition!;
        Assert.Equal(new Term(null, BerlinTime.Format(firstEdition.Published), null, Xsd + "date"), One(triples, datasets[0], Dct + "issued"));

        // Every resource and every IRI value is absolute: harvesters resolve nothing.
        foreach (var iri in triples.Select(t => t.Subject).Concat(triples.Select(t => t.Predicate)).Concat(triples.Select(t => t.Target.Iri).OfType<string>()))
        {
            Assert.True(Uri.TryCreate(iri, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto", $"not absolute: '{iri}'");
        }

        return downloads;
    }

    [Fact]
    public async Task JSON_LD_describes_every_radar_and_download_and_each_download_answers()
    {
        using var response = await site.App.Client.GetAsync("api/dcat.jsonld", Ct);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        var downloads = CheckCatalog(ExpandJsonLd(body));
        foreach (var url in downloads)
        {
            using var download = await site.App.Client.GetAsync(OpenDataSite.Local(url), Ct);
            Assert.True(download.StatusCode == HttpStatusCode.OK, $"{url}: {download.StatusCode}");
            Assert.Equal(url.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv" : "application/json", download.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Turtle_is_read_by_rdflib_as_the_same_graph_as_the_JSON_LD()
    {
        using var response = await site.App.Client.GetAsync("api/dcat.ttl", Ct);
        var turtle = await response.Content.ReadAsStringAsync(Ct);
        var jsonld = await site.App.Client.GetByteArrayAsync("api/dcat.jsonld", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/turtle", response.Content.Headers.ContentType?.MediaType);
        var (isomorphic, jsonldTriples, triples) = await RdflibAsync(turtle, jsonld);
        Assert.True(isomorphic, "rdflib reads the Turtle and the JSON-LD as the same graph");
        Assert.Equal(triples.Count, jsonldTriples);
        Assert.Equal(ExpandJsonLd(jsonld).Count, triples.Count);
        CheckCatalog(triples);
    }

    [Fact]
    public async Task Turtle_escapes_text_and_a_licence_without_attribution_carries_none()
    {
        var radar = new RadarDefinition
        {
            Id = "sued",
            Title = "Radar \"Süd\" \\ Nord\n\t<b>&amp;</b> @de",
            Description = "Zeile 1\r\nZeile 2 \u0001 Ende",
            Areas = [new RadarArea("a", "Bereich \"A\"")],
            Statuses = [new RadarStatus("s", "S")],
        };
        var edition = new Edition
        {
            RadarId = "sued",
            Id = "2024",
            Title = "Bericht 2024",
            Published = new DateOnly(2024, 7, 1),
            ContentHash = "x",
            Members = new Dictionary<string, string>(),
            Definition = radar,
            ImportedAt = DateTimeOffset.UnixEpoch,
        };
        var options = new OpenDataOptions
        {
            License = "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
            Attribution = "wird nicht gebraucht",
            Publisher = "Stadt \"Süd\"",
            ContributorId = "kein URI",
            ContactEmail = "daten@sued.example",
        };

        var catalog = new DcatCatalog(new Uri("https://sued.example/radar/"), options, [new DcatCatalog.RadarDataset(radar, [edition], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)]);
        var (isomorphic, _, triples) = await RdflibAsync(catalog.Turtle(), catalog.JsonLd());

        Assert.True(isomorphic);
        var dataset = "https://sued.example/radar/api/opendata/sued";
        Assert.Equal(new Term(null, radar.Title, "de", null), One(triples, dataset, Dct + "title"));
        Assert.Equal(radar.Description, One(triples, dataset, Dct + "description").Value);
        Assert.Contains(triples, t => t.Predicate == Foaf + "name" && t.Target.Value == "Stadt \"Süd\"");
        Assert.Contains(triples, t => t.Predicate == "http://www.w3.org/2006/vcard/ns#hasEmail" && t.Target.Iri == "mailto:daten@sued.example");
        Assert.DoesNotContain(triples, t => t.Predicate == DcatDe + "licenseAttributionByText");
        Assert.DoesNotContain(triples, t => t.Predicate == DcatDe + "contributorID");
        Assert.Equal(5, triples.Count(t => t.Predicate == Dct + "license" && t.Target.Iri == options.License));
        Assert.Contains(triples, t => t.Target.Iri == "https://sued.example/radar/api/opendata/sued/2024.csv");
    }
}
