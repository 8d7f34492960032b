using System.Text.RegularExpressions;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.De;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Pattern;
using Lucene.Net.Analysis.Synonym;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Radar.Core.Search.Analysis;

/// <summary>
/// The German analysis of Radar's text fields. See docs/architecture.md, "Search", for the chain
/// and why it is built this way.
/// </summary>
public sealed partial class RadarAnalyzers : IDisposable
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Longest word kept; longer "words" are noise (and Lucene refuses huge terms).</summary>
    public const int MaxWordLength = 64;

    // A word is letters and digits, joined by single hyphens or dots ("W-LAN", "E-Akte", "4.0"),
    // so that the word delimiter filter knows which parts belong together.
    [GeneratedRegex(@"[\p{L}\p{M}\p{N}]+(?:[-.][\p{L}\p{M}\p{N}]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    // Index: the parts of a hyphenated word and the whole ("w", "lan", "wlan"). Query: only the
    // whole, so "W-LAN" means "wlan" and does not require "w" and "lan" separately.
    private const WordDelimiterFlags IndexDelimiting =
        WordDelimiterFlags.GENERATE_WORD_PARTS | WordDelimiterFlags.GENERATE_NUMBER_PARTS | WordDelimiterFlags.CATENATE_ALL;
    private const WordDelimiterFlags QueryDelimiting = WordDelimiterFlags.CATENATE_ALL;
    private const WordDelimiterFlags SynonymEntryDelimiting =
        WordDelimiterFlags.GENERATE_WORD_PARTS | WordDelimiterFlags.GENERATE_NUMBER_PARTS;

    public RadarAnalyzers(CompoundSplitter compounds, string synonyms)
    {
        Compounds = compounds;
        StopWords = FoldedStopWords();
        Synonyms = ParseSynonyms(synonyms);
        Index = Analyzer.NewAnonymous((_, reader) =>
        {
            var (tokenizer, stream) = Folded(reader);
            stream = new WordDelimiterFilter(Version, stream, IndexDelimiting, null);
            stream = new SynonymFilter(stream, Synonyms, ignoreCase: false);
            stream = new StopFilter(Version, stream, StopWords);
            stream = new CompoundSplitFilter(stream, Compounds);
            stream = new GermanLightStemFilter(stream);
            return new TokenStreamComponents(tokenizer, stream);
        });
        Query = Analyzer.NewAnonymous((_, reader) =>
        {
            var (tokenizer, stream) = Folded(reader);
            stream = new WordDelimiterFilter(Version, stream, QueryDelimiting, null);
            stream = new StopFilter(Version, stream, StopWords);
            stream = new GermanLightStemFilter(stream);
            return new TokenStreamComponents(tokenizer, stream);
        });
        Vocabulary = Analyzer.NewAnonymous((_, reader) =>
        {
            var (tokenizer, stream) = Folded(reader);
            stream = new WordDelimiterFilter(Version, stream, IndexDelimiting, null);
            stream = new StopFilter(Version, stream, StopWords);
            stream = new GermanLightStemFilter(stream);
            return new TokenStreamComponents(tokenizer, stream);
        });
        Surface = Analyzer.NewAnonymous((_, reader) =>
        {
            var tokenizer = new PatternTokenizer(reader, WordPattern(), 0);
            return new TokenStreamComponents(tokenizer, new LengthFilter(Version, tokenizer, 1, MaxWordLength));
        });
    }

    /// <summary>The analyzers with the word lists that ship with Radar.</summary>
    public static RadarAnalyzers FromResources() =>
        new(CompoundSplitter.FromResources(), SearchResources.ReadText(SearchResources.Synonyms));

    /// <summary>Text fields at index time: synonyms expanded, compounds split.</summary>
    public Analyzer Index { get; }

    /// <summary>Query words: folded and stemmed like the index, no synonyms, no splitting.</summary>
    public Analyzer Query { get; }

    /// <summary>The stems of a text, to teach the compound splitter the index's vocabulary.</summary>
    public Analyzer Vocabulary { get; }

    /// <summary>The words of a text as written (for suggestions and "did you mean").</summary>
    public Analyzer Surface { get; }

    public CompoundSplitter Compounds { get; }

    public SynonymMap Synonyms { get; }

    public CharArraySet StopWords { get; }

    public bool IsStopWord(string foldedWord) => StopWords.Contains(foldedWord);

    /// <summary>The terms an analyzer makes of a text, in order (stacked tokens included).</summary>
    public static List<string> Terms(Analyzer analyzer, string field, string text)
    {
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }
        stream.End();
        return terms;
    }

    /// <summary>Teaches the compound splitter the words of these texts.</summary>
    public int LearnVocabulary(IEnumerable<string> texts)
    {
        var stems = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }
            using var stream = Vocabulary.GetTokenStream("vocabulary", text);
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken())
            {
                if (term.Length >= 4)
                {
                    stems.Add(term.ToString());
                }
            }
            stream.End();
        }
        return Compounds.Learn(stems);
    }

    private static (Tokenizer, TokenStream) Folded(TextReader reader)
    {
        var tokenizer = new PatternTokenizer(reader, WordPattern(), 0);
        TokenStream stream = new LengthFilter(Version, tokenizer, 1, MaxWordLength);
        stream = new LowerCaseFilter(Version, stream);
        stream = new GermanNormalizationFilter(stream);
        return (tokenizer, stream);
    }

    private static CharArraySet FoldedStopWords()
    {
        var words = new List<string>();
        foreach (var word in GermanAnalyzer.DefaultStopSet)
        {
            words.Add(word?.ToString() ?? string.Empty);
        }
        return new CharArraySet(Version, words.Select(GermanFolding.Fold).ToList(), ignoreCase: false);
    }

    private static SynonymMap ParseSynonyms(string text)
    {
        // Entries are analysed like the text up to the synonym filter, hyphenated words as their
        // parts: the synonym filter matches the first token at each position, and for "W-LAN" in
        // a text that is "w" (then "lan"), not the stacked "wlan".
        using var entries = Analyzer.NewAnonymous((_, reader) =>
        {
            var (tokenizer, stream) = Folded(reader);
            stream = new WordDelimiterFilter(Version, stream, SynonymEntryDelimiting, null);
            return new TokenStreamComponents(tokenizer, stream);
        });
        var parser = new SolrSynonymParser(dedup: true, expand: true, entries);
        parser.Parse(new StringReader(text));
        return parser.Build();
    }

    public void Dispose()
    {
        Index.Dispose();
        Query.Dispose();
        Vocabulary.Dispose();
        Surface.Dispose();
    }
}
