using System.Collections.Concurrent;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Radar.Core.Search.Querying;

/// <summary>
/// The listed documents (news) of one searcher in listing order — newest first, ties by id —
/// worked out once per searcher. A page of a listing is then a slice of that order, or the
/// documents under a term (a source, a tag, a related measure) ordered by their rank; a sorted
/// search over every listed document per request cost the public news routes most of their time
/// (docs/performance.md, "Where the milliseconds go").
/// </summary>
internal sealed class ListingShelf
{
    // Posting lists ordered by rank are kept per term set; bounded, as the terms are unbounded.
    private const int MaxLists = 1024;

    private readonly int[] _order;
    private readonly int[] _rank;
    private readonly IList<AtomicReaderContext> _leaves;
    private readonly ConcurrentDictionary<string, int[]> _lists = new(StringComparer.Ordinal);
    private readonly Lazy<Dictionary<string, int>> _byId;

    private ListingShelf(IList<AtomicReaderContext> leaves, int[] order, int[] rank)
    {
        _leaves = leaves;
        _order = order;
        _rank = rank;
        _byId = new(IndexById);
    }

    /// <summary>How many documents are listed (under <see cref="NewsListingTerms.All"/>).</summary>
    public int Count => _order.Length;

    public static ListingShelf Build(IndexReader reader)
    {
        var leaves = reader.Leaves;
        var docs = new List<int>();
        var dates = new List<long>();
        foreach (var leaf in leaves)
        {
            var postings = leaf.AtomicReader.GetTermDocsEnum(new Term(SearchFields.Listed, NewsListingTerms.All));
            if (postings is null)
            {
                continue;
            }

            var date = leaf.AtomicReader.GetNumericDocValues(SearchFields.Date);
            for (var doc = postings.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.NextDoc())
            {
                docs.Add(leaf.DocBase + doc);
                dates.Add(date?.Get(doc) ?? 0);
            }
        }

        var ids = new IdReader(leaves);
        var positions = Enumerable.Range(0, docs.Count).ToArray();
        Array.Sort(positions, (a, b) =>
        {
            var byDate = dates[b].CompareTo(dates[a]);
            return byDate != 0 ? byDate : ids.Compare(docs[a], docs[b]);
        });

        var order = new int[positions.Length];
        var rank = new int[reader.MaxDoc];
        Array.Fill(rank, -1);
        for (var i = 0; i < positions.Length; i++)
        {
            order[i] = docs[positions[i]];
            rank[order[i]] = i;
        }

        return new ListingShelf(leaves, order, rank);
    }

    /// <summary>Documents listed under every one of <paramref name="terms"/>, in listing order
    /// (global doc ids), skipping <paramref name="skip"/>; <c>HasMore</c>: there are more.</summary>
    public (IReadOnlyList<int> Docs, bool HasMore) Page(IReadOnlyList<Term> terms, int skip, int take)
    {
        if (terms.Count == 0 || (terms.Count == 1 && terms[0].Field == SearchFields.Listed && terms[0].Text == NewsListingTerms.All))
        {
            return (Slice(_order, skip, take, rank => rank), skip + take < _order.Length);
        }

        var ranks = Ranks(terms);
        return (Slice(ranks, skip, take, rank => _order[rank]), skip + take < ranks.Length);
    }

    /// <summary>The listed document with this id (a news item's key), or -1. A dictionary built
    /// once per searcher: a term lookup per segment cost a feed of 20 items more than writing it.</summary>
    public int Find(string id) => _byId.Value.GetValueOrDefault(id, -1);

    private Dictionary<string, int> IndexById()
    {
        var ids = new IdReader(_leaves);
        var byId = new Dictionary<string, int>(_order.Length, StringComparer.Ordinal);
        foreach (var doc in _order)
        {
            byId[ids.Read(doc)] = doc;
        }

        return byId;
    }

    private static int[] Slice(int[] source, int skip, int take, Func<int, int> map)
    {
        if (skip >= source.Length || take <= 0)
        {
            return [];
        }

        var result = new int[Math.Min(take, source.Length - skip)];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = map(source[skip + i]);
        }

        return result;
    }

    private int[] Ranks(IReadOnlyList<Term> terms)
    {
        var key = string.Join('\n', terms.Select(t => t.Field + "\u0001" + t.Text));
        if (_lists.TryGetValue(key, out var cached))
        {
            return cached;
        }

        HashSet<int>? required = null;
        foreach (var term in terms.Skip(1))
        {
            var docs = Docs(term).ToHashSet();
            required = required is null ? docs : [.. required.Where(docs.Contains)];
        }

        var ranks = Docs(terms[0])
            .Where(doc => required is null || required.Contains(doc))
            .Select(doc => _rank[doc])
            .Where(rank => rank >= 0)
            .ToArray();
        Array.Sort(ranks);
        if (_lists.Count >= MaxLists)
        {
            _lists.Clear();
        }

        _lists[key] = ranks;
        return ranks;
    }

    private IEnumerable<int> Docs(Term term)
    {
        foreach (var leaf in _leaves)
        {
            var postings = leaf.AtomicReader.GetTermDocsEnum(term);
            if (postings is null)
            {
                continue;
            }

            for (var doc = postings.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.NextDoc())
            {
                yield return leaf.DocBase + doc;
            }
        }
    }

    /// <summary>The listing ids (the tie-break of equal dates), read from the doc values.</summary>
    private sealed class IdReader(IList<AtomicReaderContext> leaves)
    {
        private readonly SortedDocValues?[] _values = [.. leaves.Select(l => l.AtomicReader.GetSortedDocValues(SearchFields.ListOrder))];
        private readonly BytesRef _left = new();
        private readonly BytesRef _right = new();

        public int Compare(int a, int b)
        {
            // Copied: a doc values implementation may hand out its own buffer for each read.
            Read(a, _left);
            var left = BytesRef.DeepCopyOf(_left);
            Read(b, _right);
            return left.CompareTo(_right);
        }

        public string Read(int doc)
        {
            Read(doc, _left);
            return _left.Utf8ToString();
        }

        private void Read(int doc, BytesRef into)
        {
            var leaf = ReaderUtil.SubIndex(doc, leaves);
            if (_values[leaf] is { } values)
            {
                values.Get(doc - leaves[leaf].DocBase, into);
            }
            else
            {
                into.Length = 0;
            }
        }
    }
}
