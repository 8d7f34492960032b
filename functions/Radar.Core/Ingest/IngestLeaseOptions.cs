namespace Radar.Core.Ingest;

/// <summary>How <see cref="IngestLease"/> holds its blob leases. Not read from settings: the
/// defaults suit every deployment, and tests set their own.</summary>
public sealed class IngestLeaseOptions
{
    /// <summary>How long a lease lasts without renewal: how long a crashed holder blocks the next
    /// run. Blob storage allows 15 to 60 seconds. Renewed every third of it.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Who this process is, as a refused caller is told ("already running on …").</summary>
    public string Owner { get; set; } = DefaultOwner();

    private static string DefaultOwner()
    {
        // On Azure the machine name is the instance's; the process id tells two local runners apart.
        var site = Environment.GetEnvironmentVariable("WEBSITE_SITE_NAME");
        var machine = Environment.MachineName;
        return string.IsNullOrEmpty(site)
            ? $"{machine} (pid {Environment.ProcessId})"
            : $"{site} on {machine} (pid {Environment.ProcessId})";
    }
}
