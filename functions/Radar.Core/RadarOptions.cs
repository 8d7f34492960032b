namespace Radar.Core;

/// <summary>Settings under <c>Radar:</c> (app settings <c>Radar__…</c>).</summary>
public sealed class RadarOptions
{
    public const string Section = "Radar";

    /// <summary>Name of the setting that holds the storage connection (a connection string, or a
    /// section with service URIs for identity-based access), as Functions bindings name it.</summary>
    public string StorageConnection { get; set; } = "AzureWebJobsStorage";

    /// <summary>Prefix for every table and blob container Radar creates. Lets several
    /// deployments, or test runs, share one storage account.</summary>
    public string StoragePrefix { get; set; } = "";

    /// <summary>Folder relative <c>file:</c> sources are read from. Empty: the app's folder.</summary>
    public string ContentRoot { get; set; } = "";

    /// <summary>Where the deployment is reached publicly; named in the User-Agent of every fetch.</summary>
    public string PublicUrl { get; set; } = "";
}
