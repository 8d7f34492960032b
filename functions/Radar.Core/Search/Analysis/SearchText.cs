using System.Text;

namespace Radar.Core.Search.Analysis;

/// <summary>Makes any string safe to analyse: no control characters, no lone surrogates, NFC.</summary>
public static class SearchText
{
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? replacement = null;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    builder?.Append(c).Append(text[i + 1]);
                    i++;
                    continue;
                }
                replacement = "\uFFFD";
            }
            else if (char.IsLowSurrogate(c))
            {
                replacement = "\uFFFD";
            }
            else if (char.IsControl(c) || c is '\uFFFE' or '\uFFFF')
            {
                replacement = " ";
            }
            if (replacement is null)
            {
                builder?.Append(c);
                continue;
            }
            builder ??= new StringBuilder(text.Length).Append(text, 0, i);
            builder.Append(replacement);
        }
        var clean = builder?.ToString() ?? text;
        return clean.IsNormalized(NormalizationForm.FormC) ? clean : clean.Normalize(NormalizationForm.FormC);
    }
}
