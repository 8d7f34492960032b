namespace Radar.Core.OpenData;

/// <summary>Settings under <c>Radar:OpenData</c>: what the DCAT-AP.de description says about
/// the downloads (<c>/api/dcat.jsonld</c>, <c>/api/dcat.ttl</c>).</summary>
public sealed class OpenDataOptions
{
    public const string Section = "Radar:OpenData";

    /// <summary>The licence as a URI of the DCAT-AP.de licence vocabulary
    /// (<c>http://dcat-ap.de/def/licenses/…</c>). Default: Datenlizenz Deutschland – Namensnennung 2.0.</summary>
    public string License { get; set; } = DcatVocabulary.DefaultLicense;

    /// <summary>The attribution text (<c>dcatde:licenseAttributionByText</c>) for licences that
    /// require one. Empty: the publisher's name.</summary>
    public string Attribution { get; set; } = "";

    /// <summary>Who publishes the data (<c>dct:publisher</c>, a <c>foaf:Organization</c>), e.g.
    /// "Landeshauptstadt München". Empty: the host name of <c>Radar__PublicUrl</c>.</summary>
    public string Publisher { get; set; } = "";

    /// <summary>The publisher's web site (<c>foaf:homepage</c>); optional.</summary>
    public string PublisherUrl { get; set; } = "";

    /// <summary>The contributor id GovData assigned (<c>dcatde:contributorID</c>), a URI such as
    /// <c>http://dcat-ap.de/def/contributors/…</c>; several separated by commas. Empty: none.</summary>
    public string ContributorId { get; set; } = "";

    /// <summary>Where the data is about (<c>dct:spatial</c>), a URI, e.g. the municipality key
    /// <c>http://dcat-ap.de/def/politicalGeocoding/municipalityKey/091620000</c>. Empty: none.</summary>
    public string Spatial { get; set; } = "";

    /// <summary>Themes (<c>dcat:theme</c>) as codes of the EU data-theme vocabulary (<c>GOVE</c>)
    /// or URIs, separated by commas. Default: <c>GOVE</c> (government and public sector).</summary>
    public string Themes { get; set; } = "GOVE";

    /// <summary>A contact e-mail address (<c>dcat:contactPoint</c>); optional.</summary>
    public string ContactEmail { get; set; } = "";
}
