using System.Collections.Concurrent;
using Lucene.Net.Analysis.De;

namespace Radar.Core.Search.Analysis;

/// <summary>
/// Splits German compounds into the words they are made of ("digitalisierungsstrategie" →
/// "digitalisierung", "strategie"), so a search for a part finds the compound.
/// </summary>
/// <remarks>
/// A word is split only when it can be covered entirely by known words, each optionally followed
/// by a linking element (Fugen-s and the like); of all such coverings the one with the fewest parts
/// wins, and its parts are split again. Lucene's DictionaryCompoundWordTokenFilter instead emits
/// every dictionary word found anywhere inside a token, which for a vocabulary learnt from the
/// index gives "rate" inside "Strategie" and "innen" inside "Bürgerinnen".
///
/// Known words are kept as light stems (GermanLightStemmer), the form the index holds, so the
/// index's own terms can be the dictionary: candidates are stemmed before the lookup. Input is the
/// folded, lowercased token. Results are cached per token; the cache is cleared when the
/// dictionary grows.
/// </remarks>
public sealed class CompoundSplitter
{
    private const int MinPartLength = 3;
    private const int MinLearnedLength = 4;
    private const int MinCompoundLength = 2 * MinPartLength;
    private const int MaxCompoundLength = 60;
    private const int MaxCacheEntries = 200_000;
    private static readonly string[] Links = ["s", "es", "n", "en", "e", "er", "ens"];

    private readonly GermanLightStemmer _stemmer = new();
    private readonly HashSet<string> _nonParts;
    private readonly object _gate = new();
    private volatile HashSet<string> _words;
    private ConcurrentDictionary<string, string[]> _cache = new(StringComparer.Ordinal);
    private int _cached;

    public CompoundSplitter(IEnumerable<string> curatedWords, IEnumerable<string> nonParts)
    {
        _nonParts = new HashSet<string>(nonParts.Select(word => Stem(GermanFolding.Fold(word))), StringComparer.Ordinal);
        _words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in curatedWords)
        {
            var stem = Stem(GermanFolding.Fold(word));
            if (stem.Length >= MinPartLength)
            {
                _words.Add(stem);
            }
        }
    }

    /// <summary>The curated list that ships with Radar.</summary>
    public static CompoundSplitter FromResources() => new(
        SearchResources.ReadLines(SearchResources.CompoundWords),
        SearchResources.ReadLines(SearchResources.CompoundNonParts));

    public int WordCount => _words.Count;

    public bool IsKnown(string foldedWord) => _words.Contains(Stem(foldedWord));

    /// <summary>
    /// Adds words (light stems, as the index holds them) to the dictionary. Short or non-letter
    /// strings are ignored. Returns how many were new.
    /// </summary>
    public int Learn(IEnumerable<string> stems)
    {
        lock (_gate)
        {
            HashSet<string>? grown = null;
            foreach (var stem in stems)
            {
                if (stem.Length < MinLearnedLength || stem.Length > MaxCompoundLength || !IsLetters(stem)
                    || _words.Contains(stem) || _nonParts.Contains(stem))
                {
                    continue;
                }
                grown ??= new HashSet<string>(_words, StringComparer.Ordinal);
                grown.Add(stem);
            }
            if (grown is null)
            {
                return 0;
            }
            var added = grown.Count - _words.Count;
            _words = grown;
            _cache = new ConcurrentDictionary<string, string[]>(StringComparer.Ordinal);
            _cached = 0;
            return added;
        }
    }

    /// <summary>The parts of a folded, lowercased word, or an empty array if it is no compound.</summary>
    public string[] Split(ReadOnlySpan<char> word)
    {
        if (word.Length < MinCompoundLength || word.Length > MaxCompoundLength)
        {
            return [];
        }
        var cache = _cache;
        var lookup = cache.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(word, out var cached))
        {
            return cached;
        }
        var words = _words;
        var parts = new List<string>();
        Collect(word, words, parts, depth: 0);
        var result = parts.Count == 0 ? [] : parts.Distinct(StringComparer.Ordinal).ToArray();
        // ConcurrentDictionary.Count takes every lock: keep a count of our own.
        if (_cached < MaxCacheEntries && lookup.TryAdd(word, result))
        {
            Interlocked.Increment(ref _cached);
        }
        return result;
    }

    private void Collect(ReadOnlySpan<char> word, HashSet<string> words, List<string> parts, int depth)
    {
        var segments = Segment(word, words);
        if (segments is null)
        {
            return;
        }
        foreach (var (start, length) in segments)
        {
            var part = word.Slice(start, length);
            parts.Add(part.ToString());
            if (depth < 2 && part.Length >= MinCompoundLength)
            {
                Collect(part, words, parts, depth + 1);
            }
        }
    }

    /// <summary>The covering with the fewest (at least two) known parts, links left out.</summary>
    private List<(int Start, int Length)>? Segment(ReadOnlySpan<char> word, HashSet<string> words)
    {
        var n = word.Length;
        // best[i]: fewest parts covering word[0..i); from[i]: (start of the part, its length).
        Span<int> best = stackalloc int[n + 1];
        Span<int> partStart = stackalloc int[n + 1];
        Span<int> partLength = stackalloc int[n + 1];
        best.Fill(int.MaxValue);
        best[0] = 0;
        // GermanLightStemmer works in place on a char[].
        var scratch = new char[n];
        var lookup = words.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var end = MinPartLength; end <= n; end++)
        {
            for (var start = 0; start <= end - MinPartLength; start++)
            {
                if (best[start] == int.MaxValue || best[start] + 1 >= best[end])
                {
                    continue;
                }
                // The last part carries no link; its inflection is the stemmer's job.
                var linkCount = end == n ? 1 : Links.Length + 1;
                for (var l = 0; l < linkCount; l++)
                {
                    var link = l == 0 ? string.Empty : Links[l - 1];
                    var length = end - start - link.Length;
                    if (length < MinPartLength || (start == 0 && end == n)
                        || (link.Length > 0 && !word.Slice(end - link.Length, link.Length).SequenceEqual(link)))
                    {
                        continue;
                    }
                    var candidate = word.Slice(start, length);
                    if (IsWord(candidate, lookup, scratch))
                    {
                        best[end] = best[start] + 1;
                        partStart[end] = start;
                        partLength[end] = length;
                        break;
                    }
                }
            }
        }
        if (best[n] == int.MaxValue || best[n] < 2)
        {
            return null;
        }
        var segments = new List<(int, int)>(best[n]);
        for (var end = n; end > 0; end = partStart[end])
        {
            segments.Add((partStart[end], partLength[end]));
        }
        segments.Reverse();
        return segments;
    }

    private bool IsWord(ReadOnlySpan<char> candidate, HashSet<string>.AlternateLookup<ReadOnlySpan<char>> lookup, char[] scratch)
    {
        candidate.CopyTo(scratch);
        var stem = scratch.AsSpan(0, _stemmer.Stem(scratch, candidate.Length));
        return stem.Length >= MinPartLength && lookup.Contains(stem)
            && !_nonParts.GetAlternateLookup<ReadOnlySpan<char>>().Contains(stem);
    }

    private string Stem(string folded)
    {
        var buffer = folded.ToCharArray();
        return new string(buffer, 0, _stemmer.Stem(buffer, buffer.Length));
    }

    private static bool IsLetters(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }
        }
        return true;
    }
}
