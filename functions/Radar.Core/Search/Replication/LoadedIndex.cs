using Azure;

namespace Radar.Core.Search.Replication;

/// <summary>The replica in use by one search: dispose it when the search is done.</summary>
public sealed class IndexUse(LoadedIndex loaded) : IDisposable
{
    private int _disposed;

    public RadarIndex Index => loaded.Index;

    public IndexManifest Manifest => loaded.Manifest;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            loaded.Release();
        }
    }
}

/// <summary>
/// One loaded commit in one local folder, counted: searches hold it while they run; when a newer
/// lineage replaces it, it is disposed (and its folder deleted) once the last search is done.
/// Newer commits of the same lineage are loaded into the same folder (only new files are fetched)
/// and picked up by <see cref="RadarIndex.Refresh"/>.
/// </summary>
public sealed class LoadedIndex
{
    private readonly LocalIndexFolders _folders;
    private int _references = 1;

    internal LoadedIndex(RadarIndex index, string folder, IndexManifest manifest, ETag? etag, LocalIndexFolders folders)
    {
        Index = index;
        Folder = folder;
        Manifest = manifest;
        ETag = etag;
        _folders = folders;
        Present = manifest.Files.ToDictionary(f => f.Name, f => f.Blob, StringComparer.Ordinal);
    }

    public RadarIndex Index { get; }

    public string Folder { get; }

    public IndexManifest Manifest { get; internal set; }

    public ETag? ETag { get; internal set; }

    /// <summary>Files in the folder by Lucene name, with the blob each came from.</summary>
    internal Dictionary<string, string> Present { get; }

    internal bool TryRetain()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Index.Dispose();
            _folders.Delete(Folder);
        }
    }
}
