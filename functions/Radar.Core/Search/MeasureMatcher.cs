using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Radar.Core.Search.Querying;

namespace Radar.Core.Search;

/// <summary>
/// <see cref="MeasureFinder"/>'s answer without a Lucene search per text: the same scores from a
/// model of the measures kept per commit (one index reader). A news ingest relates thousands of
/// items to the same few hundred measures, and a search per item spent nearly all its time
/// building term weights (a terms-dictionary seek per word, field and segment) and walking the
/// postings of every news document that shares a word, only to keep measures.
/// <para>
/// Nothing is approximated: for each word the first text brings, every field's term query is
/// weighted by the index's own searcher and similarity (BM25 over the whole index's statistics,
/// as the search does) and scored on the measure documents only; that per-word score (title,
/// tags and summary summed) is remembered for the commit. A text's score for a measure is the sum
/// of its words' scores in the order of the query <see cref="QueryBuilder.AnyWord"/> builds, summed
/// as Lucene's boolean scorers sum (in double, rounded to float per level), so ranking, the floor
/// and ties (the lower document first) come out as the search's. The cost of a text is its
/// analysis and a few dictionary lookups, the same however many news documents the index holds.
/// </para>
/// </summary>
internal sealed class MeasureMatcher
{
    private static readonly ConditionalWeakTable<IndexReader, MeasureMatcher> Matchers = new();
    private static readonly string[] Fields = [SearchFields.Title, SearchFields.Tags, SearchFields.Summary];

    private readonly IndexSearcher _searcher;
    private readonly QueryBuilder _queries;
    private readonly (AtomicReaderContext Leaf, int[] Docs)[] _measures;
    private readonly Dictionary<int, HitRecord?> _records = [];
    private readonly ConcurrentDictionary<string, (int Doc, float Score)[]> _words = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HashSet<int>> _scopes = new(StringComparer.Ordinal);

    private MeasureMatcher(IndexSearcher searcher, QueryBuilder queries)
    {
        _searcher = searcher;
        _queries = queries;
        var all = DocsOf(null);
        _measures = [.. searcher.IndexReader.Leaves
            .Select(leaf => (leaf, all.Where(doc => doc >= leaf.DocBase && doc < leaf.DocBase + leaf.AtomicReader.MaxDoc)
                .Select(doc => doc - leaf.DocBase).Order().ToArray()))
            .Where(pair => pair.Item2.Length > 0)];
        foreach (var doc in all)
        {
            _records[doc] = HitRecord.Read(searcher.IndexReader, doc, withBody: false).Hit;
        }

        _scopes[""] = all;
    }

    /// <summary>The matcher of the commit <paramref name="searcher"/> reads, built on first use.</summary>
    public static MeasureMatcher For(IndexSearcher searcher, QueryBuilder queries) =>
        Matchers.GetValue(searcher.IndexReader, _ => new MeasureMatcher(searcher, queries));

    /// <summary>As <see cref="MeasureFinder.Find"/>.</summary>
    public IReadOnlyList<(string Id, string? Radar, float Score)> Find(string text, string? radarId, int max, float minScore, float relativeScore)
    {
        var words = _queries.AnyWordTerms(text);
        if (words.Count == 0)
        {
            return [];
        }

        var scope = Scope(radarId);
        var sums = new Dictionary<int, double>();
        foreach (var word in words)
        {
            foreach (var (doc, score) in Word(word))
            {
                if (scope.Contains(doc))
                {
                    sums[doc] = sums.GetValueOrDefault(doc) + score;
                }
            }
        }

        if (sums.Count == 0)
        {
            return [];
        }

        var top = sums.Select(pair => (Doc: pair.Key, Score: (float)pair.Value))
            .OrderByDescending(hit => hit.Score).ThenBy(hit => hit.Doc)
            .Take(Math.Clamp(max, 1, 100))
            .ToList();
        var floor = Math.Max(minScore, top[0].Score * relativeScore);
        return [.. top.Where(hit => hit.Score >= floor && _records[hit.Doc] is not null)
            .Select(hit => (_records[hit.Doc]!.Id, _records[hit.Doc]!.Radar, hit.Score))];
    }

    private HashSet<int> Scope(string? radarId) =>
        string.IsNullOrWhiteSpace(radarId) ? _scopes[""] : _scopes.GetOrAdd(radarId, id => DocsOf(id));

    // The measure documents the search's filter lets through (live ones only), as global doc ids.
    private HashSet<int> DocsOf(string? radarId)
    {
        var filter = _queries.FilterFor(new SearchRequest
        {
            Types = [SearchDocumentTypes.Measure],
            Radars = string.IsNullOrWhiteSpace(radarId) ? [] : [radarId],
        })!;
        var docs = new HashSet<int>();
        foreach (var leaf in _searcher.IndexReader.Leaves)
        {
            var iterator = filter.GetDocIdSet(leaf, leaf.AtomicReader.LiveDocs)?.GetIterator();
            if (iterator is null)
            {
                continue;
            }

            for (var doc = iterator.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = iterator.NextDoc())
            {
                docs.Add(leaf.DocBase + doc);
            }
        }

        return docs;
    }

    // A word's score on every measure document that has it in a searched field: each field's term
    // query weighted and scored by Lucene itself, the fields summed as the per-word boolean query
    // of AnyWord sums them.
    private (int Doc, float Score)[] Word(string word) => _words.GetOrAdd(word, term =>
    {
        var sums = new Dictionary<int, double>();
        foreach (var field in Fields)
        {
            var weight = _searcher.CreateNormalizedWeight(new TermQuery(new Term(field, term)) { Boost = SearchFields.TextWeights[field] });
            foreach (var (leaf, docs) in _measures)
            {
                var scorer = weight.GetScorer(leaf, leaf.AtomicReader.LiveDocs);
                if (scorer is null)
                {
                    continue;
                }

                foreach (var doc in docs)
                {
                    var at = scorer.DocID < doc ? scorer.Advance(doc) : scorer.DocID;
                    if (at == DocIdSetIterator.NO_MORE_DOCS)
                    {
                        break;
                    }

                    if (at == doc)
                    {
                        sums[leaf.DocBase + doc] = sums.GetValueOrDefault(leaf.DocBase + doc) + scorer.GetScore();
                    }
                }
            }
        }

        return [.. sums.Select(pair => (pair.Key, (float)pair.Value))];
    });
}
