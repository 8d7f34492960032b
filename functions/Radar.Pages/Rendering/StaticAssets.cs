using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Radar.Pages.Rendering;

/// <summary>A file the pages use (stylesheet, ES module), embedded in this assembly.</summary>
public sealed record StaticAsset(string Name, string Hash, string ContentType, byte[] Content)
{
    /// <summary>The versioned file name, <c>site.3f2a1b9c0d4e.css</c>: a new content is a new URL,
    /// so the old one can be cached for good.</summary>
    public string VersionedName
    {
        get
        {
            var dot = Name.LastIndexOf('.');
            return dot < 0 ? $"{Name}.{Hash}" : $"{Name[..dot]}.{Hash}{Name[dot..]}";
        }
    }

    public string Url => StaticAssets.RoutePrefix + VersionedName;

    public string ETag => $"\"{Hash}\"";
}

/// <summary>The embedded assets (<c>Assets/</c>), with a content hash each; everything is
/// self-hosted, nothing comes from a CDN.</summary>
public sealed class StaticAssets
{
    public const string RoutePrefix = "/static/";

    private const string ResourcePrefix = "Radar.Pages.Assets.";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".woff2"] = "font/woff2",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, StaticAsset> _assets;

    public StaticAssets()
    {
        var assembly = typeof(StaticAssets).Assembly;
        _assets = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => Load(assembly, n))
            .ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
    }

    public IEnumerable<StaticAsset> All => _assets.Values;

    /// <summary>The asset's versioned URL; throws for a name that is not embedded, so a typo in a
    /// page fails its first render instead of shipping a broken link.</summary>
    public string Url(string name) =>
        _assets.TryGetValue(name, out var asset) ? asset.Url : throw new ArgumentException($"No embedded asset '{name}'.", nameof(name));

    /// <summary>The asset a request path names (<c>site.css</c> or <c>site.&lt;hash&gt;.css</c>);
    /// <paramref name="current"/> says whether the path carries the current hash.</summary>
    public StaticAsset? Find(string? path, out bool current)
    {
        current = false;
        if (string.IsNullOrEmpty(path) || path.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        if (_assets.TryGetValue(path, out var plain))
        {
            return plain;
        }

        // name.hash.ext → name.ext
        var last = path.LastIndexOf('.');
        var hashDot = last > 0 ? path.LastIndexOf('.', last - 1) : -1;
        if (hashDot < 0)
        {
            return null;
        }

        var name = path[..hashDot] + path[last..];
        if (!_assets.TryGetValue(name, out var asset))
        {
            return null;
        }

        current = string.Equals(path[(hashDot + 1)..last], asset.Hash, StringComparison.Ordinal);
        return asset;
    }

    private static StaticAsset Load(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        var name = resource[ResourcePrefix.Length..];
        var hash = Convert.ToHexStringLower(SHA256.HashData(content))[..12];
        var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
        return new StaticAsset(name, hash, type, content);
    }
}
