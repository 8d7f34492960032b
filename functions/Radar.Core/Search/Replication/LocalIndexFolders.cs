using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Radar.Core.Search.Replication;

/// <summary>
/// Where this instance keeps its local index copies: a folder of its own under
/// <see cref="SearchOptions.IndexPath"/> (<c>{prefix}-{pid}-{random}</c>), so two instances on one
/// machine never share one; deleted when the instance stops, and left-overs of processes that are
/// gone are deleted when the next one starts. Also knows which snapshot blobs are on local disk
/// already, so the writer and the replica copy from each other instead of downloading twice.
/// </summary>
public sealed class LocalIndexFolders : IDisposable
{
    private readonly ConcurrentDictionary<string, string> _blobs = new(StringComparer.Ordinal);
    private readonly ILogger<LocalIndexFolders> _logger;
    private int _counter;

    public LocalIndexFolders(IOptions<SearchOptions> options, IOptions<RadarOptions> radar, ILogger<LocalIndexFolders> logger)
    {
        _logger = logger;
        var root = string.IsNullOrWhiteSpace(options.Value.IndexPath)
            ? Path.Combine(Path.GetTempPath(), "radar-index")
            : Path.GetFullPath(options.Value.IndexPath.Trim(), radar.Value.ContentRoot is { Length: > 0 } content ? content : Directory.GetCurrentDirectory());
        var prefix = string.IsNullOrWhiteSpace(radar.Value.StoragePrefix) ? "radar" : radar.Value.StoragePrefix.Trim().ToLowerInvariant();
        Parent = root;
        Root = Path.Combine(root, $"{prefix}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..8]}");
        RemoveLeftovers();
        Directory.CreateDirectory(Root);
    }

    /// <summary>The folder all instances' folders are in.</summary>
    public string Parent { get; }

    /// <summary>This instance's folder.</summary>
    public string Root { get; }

    /// <summary>A new, empty folder for one index copy (<paramref name="kind"/>: replica, writer).</summary>
    public string NewFolder(string kind)
    {
        var folder = Path.Combine(Root, $"{kind}-{Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Deletes a folder this instance no longer uses (best effort: a file still mapped
    /// on a platform that forbids deleting it stays until the instance stops).</summary>
    public void Delete(string folder)
    {
        Forget(folder);
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogDebug(ex, "Could not delete index folder {Folder} yet", folder);
        }
    }

    /// <summary>Remembers that <paramref name="blob"/> is on disk at <paramref name="path"/>.</summary>
    public void Have(string blob, string path) => _blobs[blob] = path;

    /// <summary>A local file holding <paramref name="blob"/>, if this instance has one.</summary>
    public string? Find(string blob) => _blobs.TryGetValue(blob, out var path) && File.Exists(path) ? path : null;

    /// <summary>Forgets every file in <paramref name="folder"/>.</summary>
    public void Forget(string folder)
    {
        var prefix = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        foreach (var (blob, path) in _blobs)
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                _blobs.TryRemove(new KeyValuePair<string, string>(blob, path));
            }
        }
    }

    public void Dispose()
    {
        _blobs.Clear();
        try
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogDebug(ex, "Could not delete index folder {Folder}", Root);
        }
    }

    // Folders of instances whose process has gone (killed, crashed) would pile up in temp.
    private void RemoveLeftovers()
    {
        if (!Directory.Exists(Parent))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(Parent))
        {
            var parts = Path.GetFileName(folder).Split('-');
            if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || Alive(pid))
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogDebug(ex, "Could not delete left-over index folder {Folder}", folder);
            }
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
