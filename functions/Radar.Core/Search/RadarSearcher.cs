using System.Collections.Concurrent;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Radar.Core.Search.Querying;

namespace Radar.Core.Search;

/// <summary>
/// A searcher of one commit with what is worked out once per commit rather than per request: its
/// generation (reading <see cref="DirectoryReader.IndexCommit"/> lists the commit's files each
/// time), its listing order (<see cref="ListingShelf"/>), the statistics of each field and the
/// per-segment state of each term searched. A query for a few words expands to dozens of term
/// queries over several fields (synonyms, compound parts, the fields a word is looked for in);
/// looking up each of them in every segment again was a quarter of a search.
/// </summary>
internal sealed class RadarSearcher(IndexReader reader) : IndexSearcher(reader)
{
    // Bounded: the terms come from what people type.
    private const int MaxTermContexts = 8192;

    private readonly Lazy<ListingShelf> _listing = new(() => ListingShelf.Build(reader));
    private readonly ConcurrentDictionary<string, CollectionStatistics> _fields = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Term, TermContext> _terms = new();

    public long Generation { get; } = reader is DirectoryReader directory ? directory.IndexCommit.Generation : 0;

    public ListingShelf Listing => _listing.Value;

    public override CollectionStatistics CollectionStatistics(string field) =>
        _fields.GetOrAdd(field, base.CollectionStatistics);

    /// <summary>The query with each of its term queries carrying the term's state in this commit
    /// (kept per searcher), so building its weight looks nothing up that was looked up before.</summary>
    public Query WithKnownTerms(Query query)
    {
        switch (query)
        {
            case TermQuery term:
                return new TermQuery(term.Term, Known(term.Term)) { Boost = term.Boost };
            case BooleanQuery boolean:
                var rebuilt = new BooleanQuery(boolean.CoordDisabled)
                {
                    Boost = boolean.Boost,
                    MinimumNumberShouldMatch = boolean.MinimumNumberShouldMatch,
                };
                foreach (var clause in boolean.Clauses)
                {
                    rebuilt.Add(WithKnownTerms(clause.Query), clause.Occur);
                }

                return rebuilt;
            default:
                return query;
        }
    }

    private TermContext Known(Term term)
    {
        if (_terms.TryGetValue(term, out var known))
        {
            return known;
        }

        known = TermContext.Build(TopReaderContext, term);
        if (_terms.Count >= MaxTermContexts)
        {
            _terms.Clear();
        }

        _terms[term] = known;
        return known;
    }
}
