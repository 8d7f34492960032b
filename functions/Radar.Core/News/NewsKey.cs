using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Radar.Core.News;

/// <summary>
/// The key of a news item (DESIGN.md): a hash of the source id and the item's guid; without a
/// guid, its canonical link; without that, its title and the date the feed gave (not the
/// first-seen time, which changes every run). 32 hex characters (128 bits of SHA-256): a valid
/// table key, the same on every run and every machine.
/// </summary>
public static class NewsKey
{
    public static string For(string sourceId, string? itemId, string? canonicalLink, string title, DateTimeOffset? feedDate)
    {
        var identity = !string.IsNullOrWhiteSpace(itemId) ? "guid\n" + itemId.Trim()
            : canonicalLink is not null ? "link\n" + canonicalLink
            : "title\n" + title + "\n" + feedDate?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        return Hash(sourceId + "\n" + identity);
    }

    /// <summary>Lowercase hex of the first 16 bytes of SHA-256 of the UTF-8 text.</summary>
    public static string Hash(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
