using System.Text;

namespace Radar.Core.News.Normalising;

/// <summary>How tags compare: case, umlauts and ß folded (<c>WLAN</c> = <c>wlan</c>,
/// <c>München</c> = <c>Muenchen</c>), whitespace collapsed.</summary>
public static class NewsTags
{
    public const int MaxTags = 20;
    public const int MaxTagLength = 100;

    public static string Fold(string tag)
    {
        var text = NewsHtml.CollapseWhitespace(tag).Normalize(NormalizationForm.FormC).ToLowerInvariant();
        var folded = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            folded.Append(c switch
            {
                'ä' => "ae",
                'ö' => "oe",
                'ü' => "ue",
                'ß' => "ss",
                _ => c.ToString(),
            });
        }

        return folded.ToString();
    }

    /// <summary>Tags as readers see them: trimmed, distinct by their folded form (first spelling
    /// wins), at most <see cref="MaxTags"/> of at most <see cref="MaxTagLength"/> characters.</summary>
    public static IReadOnlyList<string> Clean(IEnumerable<string?> tags)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var raw in tags)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            var tag = NewsHtml.CollapseWhitespace(raw);
            if (tag.Length > MaxTagLength)
            {
                tag = NewsHtml.Shorten(tag, MaxTagLength);
            }

            if (tag.Length > 0 && seen.Add(Fold(tag)))
            {
                result.Add(tag);
                if (result.Count == MaxTags)
                {
                    break;
                }
            }
        }

        return result;
    }
}
