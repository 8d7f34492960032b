using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.De;
using Lucene.Net.Analysis.TokenAttributes;

namespace Radar.Core.Search.Analysis;

/// <summary>
/// The folding that makes "München", "Muenchen" and "munchen" one word (lowercase, then Lucene's
/// GermanNormalizationFilter: ä→a, ö→o, ü→u, ß→ss, ae/oe/ue→a/o/u) for whole strings that are not
/// split into words: filter values, facet keys, suggest keys. Same filter as the text analysis, so
/// both sides always agree.
/// </summary>
public static class GermanFolding
{
    private static readonly Analyzer Folder = Analyzer.NewAnonymous((_, reader) =>
    {
        var tokenizer = new KeywordTokenizer(reader);
        TokenStream stream = new LowerCaseFilter(RadarAnalyzers.Version, tokenizer);
        stream = new GermanNormalizationFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    });

    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return text;
        }
        using var stream = Folder.GetTokenStream("key", SearchText.Clean(text));
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        var folded = stream.IncrementToken() ? term.ToString() : string.Empty;
        stream.End();
        return folded;
    }
}
