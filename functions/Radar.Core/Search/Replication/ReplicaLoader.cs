using Azure;

namespace Radar.Core.Search.Replication;

/// <summary>
/// Brings a published commit onto this instance's disk for the replica: into a new folder with
/// all its files, opened read-only and checked against its manifest; or — a newer commit of the
/// lineage already loaded — only its new files into the same folder, picked up by a refresh.
/// Files are copied from this instance's own writer folder where it has them.
/// </summary>
internal sealed class ReplicaLoader(SnapshotStore snapshots, LocalIndexFolders folders)
{
    /// <summary>The commit in a new folder of its own, verified; its folder is deleted again when
    /// it cannot be used (<see cref="SnapshotCorruptException"/>).</summary>
    public async Task<LoadedIndex> LoadAsync(IndexManifest manifest, ETag? etag, CancellationToken cancellationToken)
    {
        var folder = folders.NewFolder("replica");
        LoadedIndex loaded;
        try
        {
            await FetchAsync(manifest.Files, folder, cancellationToken);
            RadarIndex index;
            try
            {
                index = RadarIndex.OpenReadOnly(folder);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new SnapshotCorruptException($"The snapshot does not open as an index: {ex.Message}", ex);
            }

            loaded = new LoadedIndex(index, folder, manifest, etag, folders);
            if (!Verify(index, manifest, out var problem))
            {
                loaded.Release();
                throw new SnapshotCorruptException(problem);
            }
        }
        catch
        {
            folders.Delete(folder);
            throw;
        }

        foreach (var file in manifest.Files)
        {
            folders.Have(file.Blob, Path.Combine(folder, file.Name));
        }

        return loaded;
    }

    /// <summary>Whether the newer commit of the same lineage can go into the same folder: every
    /// name it shares with files already there must be the same blob.</summary>
    public static bool Continues(LoadedIndex current, IndexManifest manifest)
    {
        lock (current.Present)
        {
            return manifest.Files.All(f => !current.Present.TryGetValue(f.Name, out var blob) || blob == f.Blob);
        }
    }

    /// <summary>The newer commit's missing files fetched into the loaded folder and the searcher
    /// refreshed; files no search can need any more are deleted. Throws
    /// <see cref="SnapshotCorruptException"/> when the folder does not hold what the manifest says.</summary>
    public async Task RefreshInPlaceAsync(LoadedIndex current, IndexManifest manifest, ETag? etag, CancellationToken cancellationToken)
    {
        List<SnapshotFile> missing;
        lock (current.Present)
        {
            missing = manifest.Files.Where(f => !current.Present.ContainsKey(f.Name)).ToList();
        }

        await FetchAsync(missing, current.Folder, cancellationToken);
        var previous = current.Manifest;
        lock (current.Present)
        {
            foreach (var file in missing)
            {
                current.Present[file.Name] = file.Blob;
                folders.Have(file.Blob, Path.Combine(current.Folder, file.Name));
            }
        }

        // Searches in flight keep the searcher they have; new ones get the new commit.
        current.Index.Refresh();
        if (!Verify(current.Index, manifest, out var problem))
        {
            throw new SnapshotCorruptException(problem);
        }

        current.Manifest = manifest;
        current.ETag = etag;

        // Files neither this commit nor the one before it needs: searches that started before
        // the last refresh may still read the previous commit's files.
        var keep = manifest.Files.Concat(previous.Files).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        lock (current.Present)
        {
            foreach (var name in current.Present.Keys.Where(name => !keep.Contains(name)).ToList())
            {
                current.Present.Remove(name);
                SnapshotStore.TryDelete(Path.Combine(current.Folder, name));
            }
        }
    }

    /// <summary>Fetches files (copied from this instance's writer where it has them), the
    /// segments file last, so the folder never shows a commit whose files are not all there.</summary>
    private async Task FetchAsync(IReadOnlyList<SnapshotFile> files, string folder, CancellationToken cancellationToken)
    {
        var segments = files.Where(f => f.Name.StartsWith("segments", StringComparison.Ordinal)).ToList();
        await Parallel.ForEachAsync(files.Except(segments), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (file, token) => await snapshots.MaterializeAsync(file, folder, folders.Find(file.Blob), token));
        foreach (var file in segments)
        {
            await snapshots.MaterializeAsync(file, folder, folders.Find(file.Blob), cancellationToken);
        }
    }

    private static bool Verify(RadarIndex index, IndexManifest manifest, out string problem)
    {
        try
        {
            if (index.Generation != manifest.Generation)
            {
                problem = $"The snapshot's files hold generation {index.Generation}, not {manifest.Generation}.";
                return false;
            }

            var counts = IndexManifest.DocumentsOf(index);
            if (manifest.Documents.Count > 0 && manifest.Documents.Any(d => counts.GetValueOrDefault(d.Key) != d.Value))
            {
                problem = "The snapshot holds other documents than its manifest says.";
                return false;
            }

            problem = "";
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            problem = $"The snapshot cannot be searched: {ex.Message}";
            return false;
        }
    }
}
