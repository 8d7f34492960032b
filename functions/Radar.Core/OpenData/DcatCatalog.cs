using System.Globalization;
using Radar.Core.Measures;
using static Radar.Core.OpenData.DcatVocabulary;

namespace Radar.Core.OpenData;

/// <summary>
/// The DCAT-AP.de description of Radar's downloads, for an open-data portal's harvester: one
/// <c>dcat:Catalog</c>, one <c>dcat:Dataset</c> per radar, and per dataset a
/// <c>dcat:Distribution</c> for the current state and for each edition, in JSON and CSV.
/// Every resource is named by an absolute IRI on the public URL (no blank nodes): the catalogue
/// and publisher as fragments of <c>/api/dcat</c>, a dataset as its downloads' folder
/// <c>/api/opendata/{radar}</c>, a distribution as its download URL. German text is tagged
/// <c>@de</c>. <see cref="Turtle"/> and <see cref="JsonLd"/> write the same <see cref="Graph"/>.
/// </summary>
public sealed class DcatCatalog
{
    /// <summary>A radar as the catalogue describes it.</summary>
    /// <param name="Editions">Oldest first.</param>
    public sealed record RadarDataset(RadarDefinition Radar, IReadOnlyList<Edition> Editions, DateTimeOffset FirstAt, DateTimeOffset LastChange);

    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public DcatCatalog(Uri baseUrl, OpenDataOptions options, IReadOnlyList<RadarDataset> datasets)
    {
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl.AbsoluteUri : baseUrl.AbsoluteUri + "/";
        CatalogIri = root + "api/dcat#catalog";
        var publisher = root + "api/dcat#publisher";
        var contact = root + "api/dcat#contact";
        var license = Absolute(options.License) ?? DefaultLicense;
        var publisherName = string.IsNullOrWhiteSpace(options.Publisher) ? baseUrl.Host : options.Publisher.Trim();
        var attribution = NeedsAttribution(license)
            ? string.IsNullOrWhiteSpace(options.Attribution) ? publisherName : options.Attribution.Trim()
            : null;
        var themes = List(options.Themes).Select(t => Absolute(t) ?? DataTheme + t.ToUpperInvariant()).ToList();
        var contributors = List(options.ContributorId).Select(Absolute).OfType<string>().ToList();
        var spatial = Absolute(options.Spatial);
        var hasContact = !string.IsNullOrWhiteSpace(options.ContactEmail);
        var german = RdfTerm.Iri(Language + "DEU");

        var graph = new RdfGraph();
        graph.Type(CatalogIri, Dcat + "Catalog")
            .Add(CatalogIri, Dct + "title", RdfTerm.German("Offene Daten des Digitalisierungsradars"))
            .Add(CatalogIri, Dct + "description", RdfTerm.German(
                "Maßnahmen der Digitalisierung mit Status, Fortschritt und Kennzahlen: jede Ausgabe des Digitalisierungsberichts " +
                "und der aktuelle Stand, als JSON (Importformat des Radars) und als CSV."))
            .Add(CatalogIri, Dct + "publisher", RdfTerm.Iri(publisher))
            .Add(CatalogIri, Foaf + "homepage", RdfTerm.Iri(root))
            .Add(CatalogIri, Dct + "language", german)
            .Add(CatalogIri, Dct + "license", RdfTerm.Iri(license))
            .Add(CatalogIri, Dcat + "themeTaxonomy", RdfTerm.Iri(DataTheme.TrimEnd('/')));
        LastModified = datasets.Count == 0 ? null : datasets.Max(d => d.LastChange);
        graph.Add(CatalogIri, Dct + "modified", LastModified is { } newest ? RdfTerm.DateTime(newest) : null);

        foreach (var dataset in datasets)
        {
            graph.Add(CatalogIri, Dcat + "dataset", RdfTerm.Iri(DatasetIri(root, dataset.Radar.Id)));
        }

        graph.Type(publisher, Foaf + "Organization").Add(publisher, Foaf + "name", RdfTerm.Plain(publisherName));
        if (Absolute(options.PublisherUrl) is { } publisherUrl)
        {
            graph.Add(publisher, Foaf + "homepage", RdfTerm.Iri(publisherUrl));
        }

        if (hasContact)
        {
            graph.Type(contact, Vcard + "Organization")
                .Add(contact, Vcard + "fn", RdfTerm.Plain(publisherName))
                .Add(contact, Vcard + "hasEmail", RdfTerm.Iri("mailto:" + Uri.EscapeDataString(options.ContactEmail.Trim()).Replace("%40", "@", StringComparison.Ordinal)));
        }

        foreach (var dataset in datasets)
        {
            var radar = dataset.Radar;
            var iri = DatasetIri(root, radar.Id);
            graph.Type(iri, Dcat + "Dataset")
                .Add(iri, Dct + "title", RdfTerm.German(radar.Title))
                .Add(iri, Dct + "description", RdfTerm.German(string.IsNullOrWhiteSpace(radar.Description)
                    ? $"Die Maßnahmen des {radar.Title} mit Status, Fortschritt, Erfolgen und Kennzahlen."
                    : radar.Description.Trim()))
                .Add(iri, Dct + "identifier", RdfTerm.Plain(iri))
                .Add(iri, Dcat + "landingPage", RdfTerm.Iri(root + "?radar=" + Uri.EscapeDataString(radar.Id)))
                .Add(iri, Dct + "publisher", RdfTerm.Iri(publisher))
                .Add(iri, Dct + "language", german)
                .Add(iri, Dct + "issued", dataset.Editions.Count > 0 ? RdfTerm.Date(dataset.Editions[0].Published) : RdfTerm.DateTime(dataset.FirstAt))
                .Add(iri, Dct + "modified", RdfTerm.DateTime(dataset.LastChange))
                .Add(iri, Dcat + "keyword", RdfTerm.German("Digitalisierung"));
            foreach (var area in radar.Areas)
            {
                graph.Add(iri, Dcat + "keyword", RdfTerm.German(area.Label));
            }

            themes.ForEach(t => graph.Add(iri, Dcat + "theme", RdfTerm.Iri(t)));
            contributors.ForEach(c => graph.Add(iri, DcatDe + "contributorID", RdfTerm.Iri(c)));
            graph.Add(iri, Dct + "spatial", spatial is null ? null : RdfTerm.Iri(spatial));
            graph.Add(iri, Dcat + "contactPoint", hasContact ? RdfTerm.Iri(contact) : null);

            var downloads = new List<(string Id, string Title, string Stand, DateOnly? Issued, DateTimeOffset Modified)>
            {
                (OpenDataService.Current, "aktueller Stand", "im aktuellen Stand", null, dataset.LastChange),
            };
            downloads.AddRange(dataset.Editions.Reverse().Select(e => (e.Id, e.Title,
                $"im Stand der Ausgabe „{e.Title}“ (veröffentlicht am {e.Published.ToString("dd.MM.yyyy", German)})", (DateOnly?)e.Published, e.ImportedAt)));
            foreach (var (id, title, stand, issued, modified) in downloads)
            {
                foreach (var (extension, fileType, mediaType, how) in Formats)
                {
                    var url = $"{iri}/{Uri.EscapeDataString(id)}.{extension}";
                    graph.Add(iri, Dcat + "distribution", RdfTerm.Iri(url));
                    graph.Type(url, Dcat + "Distribution")
                        .Add(url, Dct + "title", RdfTerm.German($"{radar.Title}: {title} ({extension.ToUpperInvariant()})"))
                        .Add(url, Dct + "description", RdfTerm.German($"Alle Maßnahmen {stand}, {how}."))
                        .Add(url, Dcat + "accessURL", RdfTerm.Iri(url))
                        .Add(url, Dcat + "downloadURL", RdfTerm.Iri(url))
                        .Add(url, Dct + "format", RdfTerm.Iri(FileType + fileType))
                        .Add(url, Dcat + "mediaType", RdfTerm.Iri(MediaType + mediaType))
                        .Add(url, Dct + "license", RdfTerm.Iri(license))
                        .Add(url, DcatDe + "licenseAttributionByText", attribution is null ? null : RdfTerm.German(attribution))
                        .Add(url, Dct + "issued", issued is { } date ? RdfTerm.Date(date) : null)
                        .Add(url, Dct + "modified", RdfTerm.DateTime(modified));
                }
            }
        }

        Graph = graph;
    }

    private static readonly (string Extension, string FileType, string MediaType, string How)[] Formats =
    [
        ("json", "JSON", "application/json", "im Importformat des Radars (JSON): Radar, Ausgabe und Maßnahmen mit allen Feldern, von einem anderen Radar einlesbar"),
        ("csv", "CSV", "text/csv", "als CSV für Tabellenkalkulationen (Semikolon, UTF-8 mit BOM, Datumsangaben TT.MM.JJJJ)"),
    ];

    public string CatalogIri { get; }

    /// <summary>The newest change of any radar (null: no radar yet).</summary>
    public DateTimeOffset? LastModified { get; }

    public RdfGraph Graph { get; }

    public string Turtle() => TurtleWriter.Write(Graph);

    public byte[] JsonLd() => JsonLdWriter.Write(Graph);

    public static string DatasetIri(string root, string radarId) => root + "api/opendata/" + Uri.EscapeDataString(radarId);

    /// <summary>An absolute http(s) or urn URI, else null (a setting that is not one is left out:
    /// a relative or mistyped URI would break every harvester's reading of the catalogue).</summary>
    private static string? Absolute(string? value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "urn" ? uri.AbsoluteUri : null;

    private static List<string> List(string? value) =>
        [.. (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
