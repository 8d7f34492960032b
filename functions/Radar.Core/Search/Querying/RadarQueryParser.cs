using Lucene.Net.Analysis.De;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.QueryParsers.Simple;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Radar.Core.Search.Analysis;

namespace Radar.Core.Search.Querying;

/// <summary>
/// Citizen syntax (words, "phrases", -exclude, prefix*, and | or ( ) for those who know them) over
/// title, tags, summary and body with their weights; every word required. Prefixes are expanded
/// here, against this reader's terms, to a bounded set; in fuzzy mode every word also matches
/// its near spellings.
/// </summary>
internal sealed class RadarQueryParser : SimpleQueryParser
{
    /// <summary>Shortest prefix that expands ("a*" is ignored rather than matching everything).</summary>
    public const int MinPrefixLength = 2;

    /// <summary>Most terms a prefix expands to, per field: the most frequent ones.</summary>
    public const int MaxPrefixTerms = 16;

    /// <summary>Most terms looked at for one prefix, per field, before the expansion stops.</summary>
    public const int MaxPrefixScan = 1024;

    /// <summary>
    /// Most postings a prefix may expand to, per field: terms are taken, most frequent first,
    /// while their document frequencies fit into this. A narrow prefix gets all its terms; a broad
    /// one ("ene*") gets what fits, so a word that is in nearly every body is matched through the
    /// fields where it is rarer (titles, tags) — and a prefix never costs much more than a word.
    /// </summary>
    public const int MaxPrefixPostings = 10_000;

    public const int MaxFuzzyTerms = 4;

    /// <summary>Shortest word (folded, as typed) of a compound split in the fuzzy retry.</summary>
    private const int MinCompoundPart = 4;

    private static readonly string[] CompoundLinks = ["", "s", "es", "n", "en", "e", "er", "ens"];

    private const Operator Syntax = Operator.WHITESPACE_OPERATOR | Operator.PHRASE_OPERATOR
        | Operator.PREFIX_OPERATOR | Operator.NOT_OPERATOR | Operator.AND_OPERATOR
        | Operator.OR_OPERATOR | Operator.PRECEDENCE_OPERATORS;

    private static readonly Query Nothing = new BooleanQuery();

    private readonly RadarAnalyzers _analyzers;
    private readonly IndexReader _reader;
    private readonly bool _fuzzy;
    private readonly Dictionary<string, Terms?> _terms = new(StringComparer.Ordinal);

    public RadarQueryParser(RadarAnalyzers analyzers, IndexReader reader, bool fuzzy)
        : base(analyzers.Query, new Dictionary<string, float>(SearchFields.TextWeights), Syntax)
    {
        _analyzers = analyzers;
        _reader = reader;
        _fuzzy = fuzzy;
        DefaultOperator = Occur.MUST;
    }

    /// <summary>
    /// Parses, then folds "-word" (which the parser writes as "everything but word") into its
    /// parent as a plain exclusion wherever the parent requires something else: the same hits,
    /// without iterating all documents or adding a constant to every score.
    /// </summary>
    public Query? ParseQuery(string text) => Flatten(Parse(text));

    private static Query? Flatten(Query? query)
    {
        if (query is not BooleanQuery boolean)
        {
            return query;
        }
        var clauses = boolean.Clauses.Select(clause => (Query: Flatten(clause.Query)!, clause.Occur)).ToList();
        var required = clauses.Count(clause => clause.Occur == Occur.MUST && Negation(clause.Query) is null);
        var flat = new BooleanQuery(boolean.CoordDisabled) { Boost = boolean.Boost, MinimumNumberShouldMatch = boolean.MinimumNumberShouldMatch };
        foreach (var (clause, occur) in clauses)
        {
            if (required > 0 && occur == Occur.MUST && Negation(clause) is { } excluded)
            {
                flat.Add(excluded, Occur.MUST_NOT);
            }
            else
            {
                flat.Add(clause, occur);
            }
        }
        return flat;
    }

    // "Everything but x" as the parser writes it: (x MUST_NOT, all SHOULD).
    private static Query? Negation(Query query) =>
        query is BooleanQuery { Clauses.Count: 2 } negation
        && negation.Clauses.SingleOrDefault(c => c.Occur == Occur.MUST_NOT) is { } not
        && negation.Clauses.Any(c => c.Occur == Occur.SHOULD && c.Query is MatchAllDocsQuery)
            ? not.Query
            : null;

    protected override Query NewDefaultQuery(string text)
    {
        if (!_fuzzy)
        {
            return base.NewDefaultQuery(text);
        }
        var tokens = RadarAnalyzers.Terms(_analyzers.Query, SearchFields.Body, text);
        if (tokens.Count == 0)
        {
            return null!;
        }
        // The word as typed, folded but not stemmed: how long it is decides how many edits it may
        // have ("Site" is four letters, its stem "sit" three, which would allow none), and a
        // compound is split from it.
        var typed = tokens.Count == 1 ? new string(GermanFolding.Fold(text).Where(char.IsLetterOrDigit).ToArray()) : null;
        var all = new BooleanQuery(disableCoord: true);
        foreach (var token in tokens)
        {
            // Only words the index does not have are respelled; known words stay as they are.
            if (Known(token))
            {
                all.Add(Exact(token), Occur.MUST);
                continue;
            }
            RespelledAny = true;
            var anyField = new BooleanQuery(disableCoord: true);
            // Shared across fields: the Levenshtein automata for the token are built once.
            var automata = new AttributeSource();
            var edits = MaxEdits(Math.Max(token.Length, typed?.Length ?? 0));
            foreach (var (field, weight) in SearchFields.TextWeights)
            {
                var near = new BooleanQuery(disableCoord: true);
                foreach (var (term, similarity) in Near(field, token, edits, automata))
                {
                    near.Add(new TermQuery(new Term(field, term)) { Boost = similarity }, Occur.SHOULD);
                }
                if (near.Clauses.Count > 0)
                {
                    near.Boost = weight;
                    anyField.Add(near, Occur.SHOULD);
                }
            }
            if (typed is not null && Parts(typed) is var (modifier, head))
            {
                // A compound the index does not have ("Terminvergabe"), of words it has: what it
                // is about is its first word (appointments, not procurement), so that one is
                // required; the second ranks those that have it too first.
                anyField.Add(new BooleanQuery(disableCoord: true)
                {
                    { Exact(modifier), Occur.MUST },
                    { Exact(head), Occur.SHOULD },
                }, Occur.SHOULD);
            }
            if (anyField.Clauses.Count == 0)
            {
                return Nothing;
            }
            all.Add(anyField, Occur.MUST);
        }
        return Simplify(all);
    }

    /// <summary>In fuzzy mode: whether any word was unknown (else a retry cannot find more).</summary>
    public bool RespelledAny { get; private set; }

    /// <summary>Edits a word of this many letters (as typed, folded) may have: none up to 3
    /// letters (a short word matches only itself), 1 up to 5, 2 up to 16, 1 above (two edits on a
    /// long word cost much and find much; long words rarely have two typos).</summary>
    public static int MaxEdits(int letters) => letters switch
    {
        <= 3 => 0,
        <= 5 => 1,
        > 16 => 1,
        _ => 2,
    };

    private static BooleanQuery Exact(string term)
    {
        var exact = new BooleanQuery(disableCoord: true);
        foreach (var (field, weight) in SearchFields.TextWeights)
        {
            exact.Add(new TermQuery(new Term(field, term)) { Boost = weight }, Occur.SHOULD);
        }
        return exact;
    }

    private bool Known(string token)
    {
        var bytes = new BytesRef(token);
        foreach (var field in SearchFields.TextFields)
        {
            if (TermsOf(field)?.GetEnumerator() is { } enumerator && enumerator.SeekExact(bytes))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A folded word as two words the index has (as their stems), with a linking element between
    /// them ("termin|vergab"); the longest first part wins. Null when there is no such split. The
    /// index's own terms are the dictionary, so this works on a replica too (whose analysers have
    /// not learnt the index's vocabulary).
    /// </summary>
    private (string Modifier, string Head)? Parts(string folded)
    {
        if (folded.Length < 2 * MinCompoundPart || folded.Length > RadarAnalyzers.MaxWordLength || !folded.All(char.IsLetter))
        {
            return null;
        }
        for (var cut = folded.Length - MinCompoundPart; cut >= MinCompoundPart; cut--)
        {
            var right = Stem(folded[cut..]);
            if (right.Length < MinCompoundPart - 1 || !Known(right))
            {
                continue;
            }
            foreach (var link in CompoundLinks)
            {
                var leftLength = cut - link.Length;
                if (leftLength < MinCompoundPart || !folded.AsSpan(leftLength, link.Length).SequenceEqual(link))
                {
                    continue;
                }
                var left = Stem(folded[..leftLength]);
                if (Known(left))
                {
                    return (left, right);
                }
            }
        }
        return null;
    }

    private static string Stem(string folded)
    {
        var buffer = folded.ToCharArray();
        return new string(buffer, 0, new GermanLightStemmer().Stem(buffer, buffer.Length));
    }

    protected override Query NewPrefixQuery(string text)
    {
        var folded = new string(GermanFolding.Fold(SearchText.Clean(text)).Where(char.IsLetterOrDigit).ToArray());
        if (folded.Length < MinPrefixLength)
        {
            return null!;
        }
        // The index holds stems: "strategie*" must also reach "strategi", the stem of "Strategie".
        var buffer = folded.ToCharArray();
        var stem = new string(buffer, 0, new GermanLightStemmer().Stem(buffer, buffer.Length));
        var prefix = stem.Length >= 3 && stem.Length < folded.Length && folded.StartsWith(stem, StringComparison.Ordinal)
            ? stem
            : folded;

        var any = new BooleanQuery(disableCoord: true);
        foreach (var (field, weight) in SearchFields.TextWeights)
        {
            var expanded = Expand(field, prefix, MaxPrefixPostings);
            if (expanded.Count > 0)
            {
                any.Add(new ExpandedTermsQuery(field, expanded) { Boost = weight }, Occur.SHOULD);
            }
        }
        return any.Clauses.Count == 0 ? Nothing : Simplify(any);
    }

    private List<BytesRef> Expand(string field, string prefix, int budget)
    {
        var found = new List<(BytesRef Term, int DocFreq)>();
        var terms = TermsOf(field);
        if (terms is null)
        {
            return [];
        }
        var start = new BytesRef(prefix);
        var enumerator = terms.GetEnumerator();
        if (enumerator.SeekCeil(start) == TermsEnum.SeekStatus.END)
        {
            return [];
        }
        var scanned = 0;
        do
        {
            var term = enumerator.Term;
            if (!StringHelper.StartsWith(term, start))
            {
                break;
            }
            found.Add((BytesRef.DeepCopyOf(term), enumerator.DocFreq));
        }
        while (++scanned < MaxPrefixScan && enumerator.MoveNext());
        var taken = new List<BytesRef>();
        var postings = 0L;
        foreach (var (term, docFreq) in found.OrderByDescending(entry => entry.DocFreq))
        {
            if (taken.Count == MaxPrefixTerms)
            {
                break;
            }
            if (postings + docFreq <= budget)
            {
                taken.Add(term);
                postings += docFreq;
            }
        }
        return taken;
    }

    private List<(BytesRef Term, float Similarity)> Near(string field, string token, int maxEdits, AttributeSource automata)
    {
        var terms = TermsOf(field);
        if (terms is null)
        {
            return [];
        }
        if (maxEdits == 0)
        {
            var exact = terms.GetEnumerator();
            return exact.SeekExact(new BytesRef(token)) ? [(new BytesRef(token), 1f)] : [];
        }
        var fuzzy = new FuzzyTermsEnum(terms, automata, new Term(field, token), maxEdits, prefixLength: 1, transpositions: true);
        var boost = fuzzy.Attributes.AddAttribute<IBoostAttribute>();
        var candidates = new List<(BytesRef, float, int)>();
        while (fuzzy.MoveNext())
        {
            candidates.Add((BytesRef.DeepCopyOf(fuzzy.Term), boost.Boost, fuzzy.DocFreq));
        }
        return candidates.OrderByDescending(c => c.Item2).ThenByDescending(c => c.Item3)
            .Take(MaxFuzzyTerms).Select(c => (c.Item1, c.Item2)).ToList();
    }

    private Terms? TermsOf(string field)
    {
        if (!_terms.TryGetValue(field, out var terms))
        {
            terms = MultiFields.GetTerms(_reader, field);
            _terms[field] = terms;
        }
        return terms;
    }
}

/// <summary>
/// A prefix expanded to a bounded list of terms, matched with constant score (a bitset union of
/// their postings): scoring every expansion by BM25 made broad prefixes the slowest queries.
/// Keeps its terms so the highlighter can mark them.
/// </summary>
internal sealed class ExpandedTermsQuery(string field, IReadOnlyList<BytesRef> terms)
    : ConstantScoreQuery(new TermsFilter(field, terms.ToList()))
{
    public string Field { get; } = field;

    public IReadOnlyList<BytesRef> ExpandedTerms { get; } = terms;
}
