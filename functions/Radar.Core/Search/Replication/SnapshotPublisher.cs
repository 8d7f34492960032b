using Azure;
using Microsoft.Extensions.Logging;

namespace Radar.Core.Search.Replication;

/// <summary>
/// Publishes what the writer committed locally to Blob storage, in the order that lets a reader
/// trust what it finds: every file of the commit not yet published, under a name of this writer
/// session; the manifest last, conditional on the one the session started from; then blobs that
/// no manifest has named for the grace period are deleted (see docs/architecture.md, "Writer and
/// publishing").
/// </summary>
internal sealed class SnapshotPublisher(
    SnapshotStore snapshots, LocalIndexFolders folders, SearchOptions options, string owner, TimeProvider clock, ILogger logger)
{
    /// <summary>The writer's last commit, published: its new files first, then the manifest
    /// (conditionally), then old files past their grace period are deleted. The manifest is null
    /// when the commit was published already (nothing changed).</summary>
    public async Task<(IndexPublishReport Report, IndexManifest? Manifest)> PublishAsync(LocalWriter writer, ManifestRead previous, string reason, CancellationToken cancellationToken)
    {
        var (segmentsFile, generation, names) = writer.Index.LastCommit();
        var documents = IndexManifest.DocumentsOf(writer.Index);
        if (writer.ETag is not null && generation == writer.Generation)
        {
            return (new IndexPublishReport
            {
                Outcome = IndexOutcomes.Unchanged,
                Lineage = writer.Lineage,
                Generation = generation,
                Documents = documents,
                At = clock.GetUtcNow(),
            }, null);
        }

        var uploaded = new List<SnapshotFile>();
        var missing = names.Where(name => !writer.Files.ContainsKey(name)).ToList();
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (name, token) =>
        {
            var path = Path.Combine(writer.Folder, name);
            var file = await snapshots.UploadFileAsync(name, path, SnapshotStore.FileBlob(writer.Lineage, writer.Session, name), token);
            lock (uploaded)
            {
                uploaded.Add(file);
            }
        });
        foreach (var file in uploaded)
        {
            writer.Files[file.Name] = file;
        }

        var files = names.Select(name => writer.Files[name]).ToList();
        var now = clock.GetUtcNow();
        var blobs = files.Select(f => f.Blob).ToHashSet(StringComparer.Ordinal);
        var retired = (previous.Manifest?.Retired ?? [])
            .Where(r => now - r.Since < options.SnapshotGracePeriod * 2)
            .Concat((previous.Manifest?.Files ?? []).Select(f => new RetiredBlob(f.Blob, now)))
            .Where(r => !blobs.Contains(r.Blob))
            .DistinctBy(r => r.Blob, StringComparer.Ordinal)
            .ToList();
        var manifest = new IndexManifest
        {
            Format = IndexManifest.CurrentFormat,
            Lineage = writer.Lineage,
            Generation = generation,
            SegmentsFile = segmentsFile,
            PublishedAt = now,
            PublishedBy = owner,
            Reason = reason,
            Documents = documents,
            Files = files,
            Retired = retired,
        };
        writer.ETag = await snapshots.WriteManifestAsync(manifest, previous.Exists ? previous.ETag : null, cancellationToken);
        writer.Generation = generation;
        foreach (var name in writer.Files.Keys.Where(name => !names.Contains(name)).ToList())
        {
            writer.Files.Remove(name);
        }

        foreach (var file in files)
        {
            folders.Have(file.Blob, Path.Combine(writer.Folder, file.Name));
        }

        var collected = 0;
        try
        {
            collected = await snapshots.CollectGarbageAsync(manifest, now, options.SnapshotGracePeriod, cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            logger.LogWarning(ex, "Collecting old snapshot files failed; the next publish tries again");
        }

        var report = new IndexPublishReport
        {
            Outcome = IndexOutcomes.Published,
            Reason = reason,
            Lineage = writer.Lineage,
            Generation = generation,
            Documents = documents,
            Files = files.Count,
            FilesUploaded = uploaded.Count,
            Bytes = manifest.Bytes,
            BytesUploaded = uploaded.Sum(f => f.Length),
            GarbageCollected = collected,
            At = now,
        };
        return (report, manifest);
    }
}
