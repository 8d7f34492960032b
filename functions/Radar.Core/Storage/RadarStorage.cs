using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Radar.Core.Storage;

/// <summary>
/// Radar's handle on Azure Storage: the table and blob service clients for the configured
/// connection, and tables/containers created on first use (once per process). Every table and
/// container name gets <see cref="RadarOptions.StoragePrefix"/> in front, so several deployments
/// or test runs can share one account.
/// </summary>
public sealed class RadarStorage
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<BlobContainerClient>>> _containers = new(StringComparer.Ordinal);
    private readonly Lazy<TableServiceClient> _tableService;
    private readonly Lazy<BlobServiceClient> _blobService;
    private readonly Lazy<QueueServiceClient> _queueService;
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> _queues = new(StringComparer.Ordinal);

    public RadarStorage(StorageConnection connection, IOptions<RadarOptions> options)
    {
        Connection = connection;
        Prefix = NormalizePrefix(options.Value.StoragePrefix);
        _tableService = new(() => CreateTableService(connection, Retrying(new TableClientOptions())));
        _blobService = new(() => CreateBlobService(connection, Retrying(new BlobClientOptions())));
        _queueService = new(() => CreateQueueService(connection, Retrying(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 })));
    }

    public StorageConnection Connection { get; }

    public string Prefix { get; }

    public TableServiceClient TableService => _tableService.Value;

    public BlobServiceClient BlobService => _blobService.Value;

    /// <summary>Queues, with messages in base64 as the Functions host's queue extension reads them.</summary>
    public QueueServiceClient QueueService => _queueService.Value;

    /// <summary>The queue <paramref name="name"/>, created if it does not exist yet. Not prefixed:
    /// queue names come from settings the Functions host resolves too (<c>%WebSubQueue%</c>), so
    /// the setting itself carries any prefix.</summary>
    public Task<QueueClient> GetQueueAsync(string name, CancellationToken cancellationToken = default)
    {
        var lazy = _queues.GetOrAdd(name, n => new Lazy<Task<QueueClient>>(async () =>
        {
            var queue = QueueService.GetQueueClient(n);
            await queue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            return queue;
        }));
        return WaitOrRetryAsync(lazy, _queues, name, cancellationToken);
    }

    /// <summary>The table <paramref name="name"/> (prefixed), created if it does not exist yet.</summary>
    public Task<TableClient> GetTableAsync(string name, CancellationToken cancellationToken = default)
    {
        var lazy = _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateTableAsync(n)));
        return WaitOrRetryAsync(lazy, _tables, name, cancellationToken);
    }

    /// <summary>The blob container <paramref name="name"/> (prefixed), created if it does not exist yet.</summary>
    public Task<BlobContainerClient> GetContainerAsync(string name, CancellationToken cancellationToken = default)
    {
        var lazy = _containers.GetOrAdd(name, n => new Lazy<Task<BlobContainerClient>>(() => CreateContainerAsync(n)));
        return WaitOrRetryAsync(lazy, _containers, name, cancellationToken);
    }

    public string TableName(string name) => Prefix.Length == 0 ? name : Prefix + name;

    public string ContainerName(string name) =>
        (Prefix.Length == 0 ? name : Prefix + "-" + name).ToLowerInvariant();

    /// <summary>Clients that fail at once instead of retrying: for health probes.</summary>
    public (TableServiceClient Tables, BlobServiceClient Blobs) CreateProbeClients()
    {
        var tableOptions = new TableClientOptions();
        tableOptions.Retry.MaxRetries = 0;
        tableOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        var blobOptions = new BlobClientOptions();
        blobOptions.Retry.MaxRetries = 0;
        blobOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        return (CreateTableService(Connection, tableOptions), CreateBlobService(Connection, blobOptions));
    }

    private async Task<TableClient> CreateTableAsync(string name)
    {
        var table = TableService.GetTableClient(TableName(name));
        // Creation is a one-off per process; it must not be cut short by one caller's token.
        await table.CreateIfNotExistsAsync(CancellationToken.None);
        return table;
    }

    private async Task<BlobContainerClient> CreateContainerAsync(string name)
    {
        var container = BlobService.GetBlobContainerClient(ContainerName(name));
        await container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
        return container;
    }

    // A failed creation (storage down) must not be cached for the life of the process.
    private static async Task<T> WaitOrRetryAsync<T>(
        Lazy<Task<T>> lazy, ConcurrentDictionary<string, Lazy<Task<T>>> cache, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted)
        {
            cache.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(name, lazy));
            throw;
        }
    }

    private static T Retrying<T>(T options)
        where T : ClientOptions
    {
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(4);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }

    private static TableServiceClient CreateTableService(StorageConnection connection, TableClientOptions options)
    {
        EnsureValid(connection);
        return connection.ConnectionString is { } cs
            ? new TableServiceClient(cs, options)
            : new TableServiceClient(connection.TableServiceUri!, connection.Credential!, options);
    }

    private static BlobServiceClient CreateBlobService(StorageConnection connection, BlobClientOptions options)
    {
        EnsureValid(connection);
        return connection.ConnectionString is { } cs
            ? new BlobServiceClient(cs, options)
            : new BlobServiceClient(connection.BlobServiceUri!, connection.Credential!, options);
    }

    private static QueueServiceClient CreateQueueService(StorageConnection connection, QueueClientOptions options)
    {
        EnsureValid(connection);
        if (connection.ConnectionString is { } cs)
        {
            return new QueueServiceClient(cs, options);
        }

        var uri = connection.QueueServiceUri
            ?? throw new StorageMisconfiguredException(connection.SettingName, $"Setting '{connection.SettingName}__queueServiceUri' (or '__accountName') is needed for queues.");
        return new QueueServiceClient(uri, connection.Credential!, options);
    }

    private static void EnsureValid(StorageConnection connection)
    {
        if (connection.Error is { } error)
        {
            throw new StorageMisconfiguredException(connection.SettingName, error);
        }
    }

    private static string NormalizePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return "";
        }

        // Table names: letters and digits, starting with a letter. Container names: lowercase too.
        if (!char.IsAsciiLetter(prefix[0]) || !prefix.All(char.IsAsciiLetterOrDigit) || prefix.Length > 20)
        {
            throw new ArgumentException(
                $"Setting 'Radar__StoragePrefix' must be up to 20 letters and digits, starting with a letter (got '{prefix}').");
        }

        return prefix.ToLowerInvariant();
    }
}

public sealed class StorageMisconfiguredException(string settingName, string message) : InvalidOperationException(message)
{
    public string SettingName { get; } = settingName;
}
