using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace Radar.Core.Storage;

/// <summary>
/// Where Radar's tables and blobs live, read from the same kind of setting Functions bindings
/// use: either a connection string (<c>AzureWebJobsStorage=UseDevelopmentStorage=true</c>) or an
/// identity-based section (<c>AzureWebJobsStorage__blobServiceUri</c>,
/// <c>__tableServiceUri</c> or <c>__accountName</c>, optional <c>__credential=managedidentity</c>
/// and <c>__clientId</c>). A wrong or missing setting is not an exception at start-up: it is kept
/// as <see cref="Error"/> so that health can say which setting is wrong.
/// </summary>
public sealed record StorageConnection(
    string SettingName,
    string? ConnectionString,
    Uri? BlobServiceUri,
    Uri? TableServiceUri,
    TokenCredential? Credential,
    string? Error)
{
    public bool IsValid => Error is null;

    /// <summary>Identity-based access: the queue service (<c>__queueServiceUri</c>, or from
    /// <c>__accountName</c>); null with a connection string, which names it itself.</summary>
    public Uri? QueueServiceUri { get; init; }

    public bool IsDevelopmentStorage =>
        ConnectionString is not null &&
        (ConnectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase) ||
         ConnectionString.Contains("devstoreaccount1", StringComparison.Ordinal));

    public static StorageConnection FromConfiguration(IConfiguration configuration, string settingName)
    {
        var value = configuration[settingName];
        if (!string.IsNullOrWhiteSpace(value))
        {
            return LooksLikeConnectionString(value)
                ? new StorageConnection(settingName, value.Trim(), null, null, null, null)
                : Invalid(settingName, $"Setting '{settingName}' is not a storage connection string " +
                    "(expected 'UseDevelopmentStorage=true' or 'DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…').");
        }

        var section = configuration.GetSection(settingName);
        var accountName = section["accountName"];
        var blobUri = section["blobServiceUri"];
        var tableUri = section["tableServiceUri"];
        var queueUri = section["queueServiceUri"];
        if (string.IsNullOrWhiteSpace(queueUri) && !string.IsNullOrWhiteSpace(accountName))
        {
            queueUri = $"https://{accountName}.queue.core.windows.net";
        }
        if (string.IsNullOrWhiteSpace(blobUri) && !string.IsNullOrWhiteSpace(accountName))
        {
            blobUri = $"https://{accountName}.blob.core.windows.net";
        }

        if (string.IsNullOrWhiteSpace(tableUri) && !string.IsNullOrWhiteSpace(accountName))
        {
            tableUri = $"https://{accountName}.table.core.windows.net";
        }

        if (string.IsNullOrWhiteSpace(blobUri) && string.IsNullOrWhiteSpace(tableUri))
        {
            return Invalid(settingName, $"Setting '{settingName}' is missing: set it to a storage connection string, " +
                $"or set '{settingName}__accountName' (or '__blobServiceUri' and '__tableServiceUri') for identity-based access.");
        }

        if (!Uri.TryCreate(blobUri, UriKind.Absolute, out var blob) || !Uri.TryCreate(tableUri, UriKind.Absolute, out var table))
        {
            return Invalid(settingName, $"Setting '{settingName}__blobServiceUri' and '{settingName}__tableServiceUri' " +
                "must both be absolute URLs (or give '__accountName').");
        }

        return new StorageConnection(settingName, null, blob, table, CreateCredential(section), null)
        {
            QueueServiceUri = Uri.TryCreate(queueUri, UriKind.Absolute, out var queue) ? queue : null,
        };
    }

    private static StorageConnection Invalid(string settingName, string error) =>
        new(settingName, null, null, null, null, error);

    private static bool LooksLikeConnectionString(string value) =>
        value.Contains('=', StringComparison.Ordinal) &&
        (value.Contains("UseDevelopmentStorage", StringComparison.OrdinalIgnoreCase) ||
         value.Contains("AccountName", StringComparison.OrdinalIgnoreCase) ||
         value.Contains("Endpoint", StringComparison.OrdinalIgnoreCase));

    // Same switches the Functions host reads for identity-based connections.
    private static TokenCredential CreateCredential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        var credential = section["credential"];
        if (string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrWhiteSpace(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        return new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId,
        });
    }
}
