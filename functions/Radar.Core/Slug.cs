using System.Globalization;
using System.Text;

namespace Radar.Core;

/// <summary>Ids and lookup keys from text people typed: lowercase ASCII, umlauts and ß spelt out
/// (ä → ae), everything else between words becomes a single hyphen.</summary>
public static class Slug
{
    public static string From(string? text, int maxLength = 100)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        var pendingHyphen = false;
        foreach (var c in Fold(text))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (pendingHyphen && builder.Length > 0)
                {
                    builder.Append('-');
                }

                builder.Append(c);
                pendingHyphen = false;
            }
            else
            {
                pendingHyphen = true;
            }
        }

        var slug = builder.ToString();
        return slug.Length <= maxLength ? slug : slug[..maxLength].TrimEnd('-');
    }

    /// <summary>Lowercase, German letters spelt out, other accents removed.</summary>
    public static string Fold(string text)
    {
        var lower = text.Trim().ToLowerInvariant()
            .Replace("ä", "ae", StringComparison.Ordinal)
            .Replace("ö", "oe", StringComparison.Ordinal)
            .Replace("ü", "ue", StringComparison.Ordinal)
            .Replace("ß", "ss", StringComparison.Ordinal);
        var decomposed = lower.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Whether <paramref name="id"/> is a slug as ids must be: lowercase letters, digits,
    /// single hyphens between them.</summary>
    public static bool IsValid(string? id, int maxLength = 100) =>
        !string.IsNullOrEmpty(id) && id.Length <= maxLength && From(id, maxLength) == id;
}
