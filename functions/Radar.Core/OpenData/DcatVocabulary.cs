namespace Radar.Core.OpenData;

/// <summary>The namespaces and controlled vocabularies the DCAT-AP.de description uses.</summary>
public static class DcatVocabulary
{
    public const string Dcat = "http://www.w3.org/ns/dcat#";
    public const string Dct = "http://purl.org/dc/terms/";
    public const string DcatDe = "http://dcat-ap.de/def/dcatde/";
    public const string Foaf = "http://xmlns.com/foaf/0.1/";
    public const string Vcard = "http://www.w3.org/2006/vcard/ns#";
    public const string Xsd = "http://www.w3.org/2001/XMLSchema#";
    public const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

    public const string DefaultLicense = "http://dcat-ap.de/def/licenses/dl-by-de/2.0";
    public const string LicensePrefix = "http://dcat-ap.de/def/licenses/";
    public const string DataTheme = "http://publications.europa.eu/resource/authority/data-theme/";
    public const string FileType = "http://publications.europa.eu/resource/authority/file-type/";
    public const string Language = "http://publications.europa.eu/resource/authority/language/";
    public const string MediaType = "https://www.iana.org/assignments/media-types/";

    /// <summary>Prefixes both serialisations declare (Turtle <c>@prefix</c>, JSON-LD <c>@context</c>).</summary>
    public static IReadOnlyList<(string Prefix, string Namespace)> Prefixes { get; } =
    [
        ("dcat", Dcat), ("dct", Dct), ("dcatde", DcatDe), ("foaf", Foaf), ("vcard", Vcard), ("xsd", Xsd),
    ];

    /// <summary>Whether a licence of the DCAT-AP.de vocabulary obliges users to name the source:
    /// the "by" licences (Datenlizenz Deutschland – Namensnennung, CC BY and its variants, ODC-BY,
    /// ODbL). Zero licences and official works do not.</summary>
    public static bool NeedsAttribution(string license)
    {
        if (!license.StartsWith(LicensePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var id = license[LicensePrefix.Length..];
        return id.StartsWith("dl-by-de", StringComparison.Ordinal) || id.StartsWith("cc-by", StringComparison.Ordinal)
            || id.StartsWith("odc-by", StringComparison.Ordinal) || id.StartsWith("odbl", StringComparison.Ordinal)
            || id.StartsWith("odc-odbl", StringComparison.Ordinal);
    }
}
