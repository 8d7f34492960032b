using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Radar.Core.Storage;

namespace Radar.Core.Search.Replication;

/// <summary>What reading the manifest found: nothing (<see cref="Exists"/> false), a manifest, or
/// a blob that is not one (<see cref="Error"/>).</summary>
public sealed record ManifestRead(bool Exists, ETag? ETag, IndexManifest? Manifest, string? Error);

/// <summary>
/// The published index in Blob storage, container <c>index</c>: <c>manifest.json</c> (written
/// last, conditionally), the immutable Lucene files under <c>files/{lineage}/{session}/{name}</c>,
/// and a <c>stale</c> marker a writer leaves when it could not publish what the tables hold.
/// </summary>
public sealed class SnapshotStore(RadarStorage storage, ILogger<SnapshotStore> logger)
{
    public const string ContainerName = "index";
    public const string ManifestBlob = "manifest.json";
    public const string StaleBlob = "stale";
    public const string FilesPrefix = "files/";

    private const int CopyBuffer = 1 << 16;

    public static string FileBlob(string lineage, string session, string name) => $"{FilesPrefix}{lineage}/{session}/{name}";

    public async Task<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) =>
        await storage.GetContainerAsync(ContainerName, cancellationToken);

    /// <summary>The manifest's ETag, or null when there is none: the cheap "has it changed" check.</summary>
    public async Task<ETag?> ManifestETagAsync(CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        try
        {
            BlobProperties properties = await container.GetBlobClient(ManifestBlob).GetPropertiesAsync(cancellationToken: cancellationToken);
            return properties.ETag;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound || ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<ManifestRead> ReadManifestAsync(CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        BlobDownloadResult download;
        try
        {
            download = await container.GetBlobClient(ManifestBlob).DownloadContentAsync(cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound || ex.Status == 404)
        {
            return new ManifestRead(false, null, null, null);
        }

        try
        {
            return new ManifestRead(true, download.Details.ETag, IndexManifest.Parse(download.Content.ToMemory().Span), null);
        }
        catch (SnapshotCorruptException ex)
        {
            return new ManifestRead(true, download.Details.ETag, null, ex.Message);
        }
    }

    /// <summary>Writes the manifest if it is still the one read (<paramref name="ifMatch"/>), or if
    /// there is none yet (<paramref name="ifMatch"/> null); otherwise <see cref="SnapshotConflictException"/>.</summary>
    public async Task<ETag> WriteManifestAsync(IndexManifest manifest, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        var conditions = ifMatch is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            var response = await container.GetBlobClient(ManifestBlob).UploadAsync(
                BinaryData.FromBytes(manifest.ToJson()),
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken);
            return response.Value.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new SnapshotConflictException("Another writer published a snapshot in between; this one is not published.", ex);
        }
    }

    /// <summary>Uploads a local file under <paramref name="blob"/> and says what it uploaded
    /// (length and SHA-256, computed from the bytes sent).</summary>
    public async Task<SnapshotFile> UploadFileAsync(string name, string path, string blob, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        string hash;
        long length;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, CopyBuffer, useAsync: true))
        {
            length = file.Length;
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            file.Position = 0;
            await container.GetBlobClient(blob).UploadAsync(file, overwrite: true, cancellationToken);
        }

        return new SnapshotFile(name, blob, length, hash);
    }

    /// <summary>
    /// Puts <paramref name="file"/> into <paramref name="folder"/> under its Lucene name: copied
    /// from <paramref name="localCopy"/> when that is given and turns out right, else downloaded.
    /// Written to a temporary name and moved into place only once length and hash match, so the
    /// folder never holds a partial or wrong file under a Lucene name.
    /// </summary>
    public async Task MaterializeAsync(SnapshotFile file, string folder, string? localCopy, CancellationToken cancellationToken)
    {
        var target = Path.Combine(folder, file.Name);
        if (localCopy is not null)
        {
            try
            {
                await using var source = new FileStream(localCopy, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, CopyBuffer, useAsync: true);
                if (await TryWriteVerifiedAsync(source, file, target, cancellationToken))
                {
                    return;
                }
            }
            catch (IOException ex)
            {
                // Gone meanwhile (the writer merged it away): download instead.
                logger.LogDebug(ex, "Local copy of {Blob} not usable", file.Blob);
            }
        }

        var container = await ContainerAsync(cancellationToken);
        try
        {
            var download = await container.GetBlobClient(file.Blob).DownloadStreamingAsync(cancellationToken: cancellationToken);
            await using var stream = download.Value.Content;
            if (!await TryWriteVerifiedAsync(stream, file, target, cancellationToken))
            {
                throw new SnapshotCorruptException($"Snapshot file {file.Blob} is not what the manifest says (length or SHA-256 differ).");
            }
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound || ex.Status == 404)
        {
            throw new SnapshotCorruptException($"Snapshot file {file.Blob} named by the manifest is missing.", ex);
        }
    }

    private static async Task<bool> TryWriteVerifiedAsync(Stream source, SnapshotFile file, string target, CancellationToken cancellationToken)
    {
        // Not "segments…": Lucene would take a half-written "segments_N.tmp" for a commit.
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $"download-{Guid.NewGuid():N}.tmp");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBuffer, useAsync: true))
            {
                var buffer = new byte[CopyBuffer];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                    if (length > file.Length)
                    {
                        return false;
                    }

                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await output.FlushAsync(cancellationToken);
            }

            if (length != file.Length || Convert.ToHexStringLower(hash.GetHashAndReset()) != file.Sha256)
            {
                return false;
            }

            File.Move(temporary, target, overwrite: true);
            return true;
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    /// <summary>Leaves the marker that says the published index misses what the tables hold.</summary>
    public async Task MarkStaleAsync(string reason, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        await container.GetBlobClient(StaleBlob).UploadAsync(BinaryData.FromString(reason), overwrite: true, cancellationToken);
    }

    public async Task<string?> StaleReasonAsync(CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        try
        {
            var content = await container.GetBlobClient(StaleBlob).DownloadContentAsync(cancellationToken);
            var text = content.Value.Content.ToString();
            return text.Length == 0 ? "stale" : text;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound || ex.Status == 404)
        {
            return null;
        }
    }

    public async Task ClearStaleAsync(CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        await container.GetBlobClient(StaleBlob).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Deletes snapshot files no manifest needs any more: not named by <paramref name="current"/>,
    /// and either retired (named by an earlier manifest) longer than <paramref name="grace"/> ago,
    /// or never named and uploaded longer than that ago (a writer that died before publishing).
    /// Returns how many were deleted.
    /// </summary>
    public async Task<int> CollectGarbageAsync(IndexManifest current, DateTimeOffset now, TimeSpan grace, CancellationToken cancellationToken)
    {
        var container = await ContainerAsync(cancellationToken);
        var named = current.Files.Select(f => f.Blob).ToHashSet(StringComparer.Ordinal);
        var retired = current.Retired.GroupBy(r => r.Blob, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(r => r.Since), StringComparer.Ordinal);
        var deleted = 0;
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, FilesPrefix, cancellationToken))
        {
            if (named.Contains(blob.Name))
            {
                continue;
            }

            var since = retired.TryGetValue(blob.Name, out var at) ? at : blob.Properties.LastModified ?? now;
            if (now - since < grace)
            {
                continue;
            }

            try
            {
                await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
                deleted++;
            }
            catch (RequestFailedException ex)
            {
                logger.LogWarning(ex, "Could not delete old snapshot file {Blob}; trying again after the next publish", blob.Name);
            }
        }

        return deleted;
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
