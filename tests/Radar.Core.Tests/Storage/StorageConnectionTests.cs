using Microsoft.Extensions.Configuration;
using Radar.Core.Storage;

namespace Radar.Core.Tests.Storage;

public class StorageConnectionTests
{
    private static StorageConnection Read(params (string Key, string Value)[] settings) =>
        StorageConnection.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build(),
            "AzureWebJobsStorage");

    [Fact]
    public void Development_storage_is_a_connection_string()
    {
        var connection = Read(("AzureWebJobsStorage", "UseDevelopmentStorage=true"));

        Assert.True(connection.IsValid);
        Assert.True(connection.IsDevelopmentStorage);
        Assert.Equal("UseDevelopmentStorage=true", connection.ConnectionString);
    }

    [Fact]
    public void Identity_based_connection_from_account_name_uses_the_public_endpoints()
    {
        var connection = Read(("AzureWebJobsStorage:accountName", "radarmuc"), ("AzureWebJobsStorage:credential", "managedidentity"));

        Assert.True(connection.IsValid);
        Assert.Null(connection.ConnectionString);
        Assert.Equal(new Uri("https://radarmuc.blob.core.windows.net"), connection.BlobServiceUri);
        Assert.Equal(new Uri("https://radarmuc.table.core.windows.net"), connection.TableServiceUri);
        Assert.NotNull(connection.Credential);
    }

    [Fact]
    public void Identity_based_connection_from_service_uris()
    {
        var connection = Read(
            ("AzureWebJobsStorage:blobServiceUri", "https://x.blob.core.windows.net"),
            ("AzureWebJobsStorage:tableServiceUri", "https://x.table.core.windows.net"));

        Assert.True(connection.IsValid);
        Assert.Equal("x.table.core.windows.net", connection.TableServiceUri!.Host);
    }

    [Fact]
    public void A_missing_setting_is_an_error_that_names_it()
    {
        var connection = Read();

        Assert.False(connection.IsValid);
        Assert.Contains("'AzureWebJobsStorage'", connection.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_is_no_connection_string_is_an_error_that_names_the_setting()
    {
        var connection = Read(("AzureWebJobsStorage", "my storage account"));

        Assert.False(connection.IsValid);
        Assert.Contains("'AzureWebJobsStorage'", connection.Error, StringComparison.Ordinal);
    }
}
