using Lucene.Net.Search;
using Radar.Core.Search.Analysis;
using Radar.Core.Search.Querying;

namespace Radar.Core.Search;

/// <summary>
/// One search against one searcher — execution and facets: parse and filter
/// (<see cref="QueryBuilder"/>), collect hits and facets in one pass (<see cref="FacetingCollector"/>),
/// retry fuzzily when nothing matched, then read the page's hits back
/// (<see cref="LuceneDocumentMapper.ReadHit"/>) and cut their snippets.
/// </summary>
internal sealed class SearchRun(IndexSearcher searcher, RadarAnalyzers analyzers, QueryBuilder queries, SearchRequest request)
{
    /// <summary>Longest query (in words) that gets a fuzzy retry and "did you mean".</summary>
    public const int MaxFuzzyWords = 5;

    private static readonly string[] Unlisted = [.. SearchDocumentTypes.All.Except(SearchDocumentTypes.ListedByDefault)];

    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> NoFacets =
        new Dictionary<string, IReadOnlyDictionary<string, int>>
        {
            [FacetNames.Type] = new Dictionary<string, int>(),
            [FacetNames.Area] = new Dictionary<string, int>(),
            [FacetNames.Status] = new Dictionary<string, int>(),
            [FacetNames.Department] = new Dictionary<string, int>(),
            [FacetNames.Year] = new Dictionary<string, int>(),
            [FacetNames.Radar] = new Dictionary<string, int>(),
        };

    public SearchResponse Execute()
    {
        var text = QueryBuilder.Bound(request.Query);
        var browse = !text.Any(char.IsLetterOrDigit);
        var query = browse ? new MatchAllDocsQuery() : queries.Parse(searcher.IndexReader, text);
        if (query is null)
        {
            return Empty(text);
        }
        var filter = queries.FilterFor(request);
        var (top, collector) = Collect(query, filter, browse);
        var searched = text;
        string? didYouMean = null;
        string? correctedFrom = null;
        var fuzzy = false;
        // A typo is worth a retry in a short query; a long query without hits has no one culprit
        // (and near spellings of every word of it would make it slow).
        if (collector.TotalHits == 0 && !browse && text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= MaxFuzzyWords)
        {
            var respelling = Completions.DidYouMean(searcher.IndexReader, analyzers, text);
            didYouMean = respelling?.Text;
            // A sure respelling first: its hits can be shown as what they are ("Ergebnisse für
            // Bibliothek — gesucht war Bibliotehk"), which near spellings of each word cannot.
            if (respelling is { Sure: true } && queries.Parse(searcher.IndexReader, respelling.Text) is { } corrected)
            {
                var (correctedTop, correctedCollector) = Collect(corrected, filter, browse);
                if (correctedCollector.TotalHits > 0)
                {
                    (query, top, collector) = (corrected, correctedTop, correctedCollector);
                    (searched, correctedFrom, didYouMean) = (respelling.Text, text, null);
                }
            }
            if (correctedFrom is null)
            {
                var (retry, respelled) = queries.ParseFuzzy(searcher.IndexReader, text);
                if (retry is not null && respelled)
                {
                    var (retryTop, retryCollector) = Collect(retry, filter, browse);
                    if (retryCollector.TotalHits > 0)
                    {
                        (query, top, collector, fuzzy) = (retry, retryTop, retryCollector, true);
                    }
                }
            }
        }
        var page = top.GetTopDocs((request.Page - 1) * request.PageSize, request.PageSize);
        return new SearchResponse
        {
            Query = searched,
            Total = collector.TotalHits,
            Page = request.Page,
            PageSize = request.PageSize,
            Hits = Hits(page.ScoreDocs, browse ? null : query),
            Facets = Facets(collector.Facets()),
            DidYouMean = didYouMean,
            CorrectedFrom = correctedFrom,
            Fuzzy = fuzzy,
        };
    }

    /// <summary>The facets as the answer names them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Facets(FacetCounts counts) =>
        new Dictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal)
        {
            [FacetNames.Type] = counts.Type,
            [FacetNames.Area] = counts.Area,
            [FacetNames.Status] = counts.Status,
            [FacetNames.Department] = counts.Department,
            [FacetNames.Year] = counts.Year,
            [FacetNames.Radar] = counts.Radar,
        };

    private (ITopDocsCollector Top, FacetingCollector Collector) Collect(Query query, Filter? filter, bool browse)
    {
        var depth = request.Page * request.PageSize;
        ITopDocsCollector top = request.Sort == SearchSort.Date || browse
            ? TopFieldCollector.Create(
                new Sort(new SortField(SearchFields.Date, SortFieldType.INT64, reverse: true), SortField.FIELD_SCORE),
                depth, fillFields: false, trackDocScores: !browse, trackMaxScore: false, docsScoredInOrder: false)
            : TopScoreDocCollector.Create(depth, docsScoredInOrder: false);
        // No type asked for: changes are counted (the type facet), not listed.
        var collector = new FacetingCollector(top, request.Types.Count == 0 ? Unlisted : null);
        searcher.Search(searcher is RadarSearcher known ? known.WithKnownTerms(query) : query, filter, collector);
        return (top, collector);
    }

    private List<SearchHit> Hits(ScoreDoc[] page, Query? query)
    {
        var docs = page.Select(hit => hit.Doc).ToArray();
        var spans = query is null
            ? []
            : Snippets.Find(searcher.IndexReader, docs, Snippets.TermsOf(query));
        var hits = new List<SearchHit>(page.Length);
        foreach (var hit in page)
        {
            var field = Snippets.BestField(hit.Doc, spans);
            var (record, snippetText) = LuceneDocumentMapper.ReadHit(searcher, hit.Doc, field);
            spans.TryGetValue((hit.Doc, field ?? string.Empty), out var fieldSpans);
            hits.Add(new SearchHit
            {
                Type = record.Type,
                Id = record.Id,
                Title = record.Title,
                Url = record.Url,
                Snippet = string.IsNullOrEmpty(snippetText) ? null : Snippets.Build(snippetText, fieldSpans),
                Area = record.Area,
                Status = record.Status,
                Departments = record.Departments,
                Radar = record.Radar,
                Date = record.Date is { } date ? DateTimeOffset.FromUnixTimeMilliseconds(date) : null,
                Score = float.IsNaN(hit.Score) ? 0f : hit.Score,
            });
        }
        return hits;
    }

    private SearchResponse Empty(string text) => new()
    {
        Query = text,
        Total = 0,
        Page = request.Page,
        PageSize = request.PageSize,
        Hits = [],
        Facets = NoFacets,
    };
}
