using System.Globalization;
using Lucene.Net.Search;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace Radar.Core.Search.Querying;

/// <summary>
/// One search against one searcher: parse, filter, collect hits and facets in one pass, retry
/// fuzzily when nothing matched, then cut snippets for the page.
/// </summary>
internal sealed class SearchRun(RadarIndex index, IndexSearcher searcher, SearchRequest request)
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> NoFacets =
        new Dictionary<string, IReadOnlyDictionary<string, int>>
        {
            [FacetNames.Type] = new Dictionary<string, int>(),
            [FacetNames.Area] = new Dictionary<string, int>(),
            [FacetNames.Status] = new Dictionary<string, int>(),
            [FacetNames.Department] = new Dictionary<string, int>(),
            [FacetNames.Year] = new Dictionary<string, int>(),
        };

    public const int MaxFuzzyWords = 5;

    public SearchResponse Execute()
    {
        var text = RadarIndex.Bound(request.Query);
        var browse = !text.Any(char.IsLetterOrDigit);
        var query = browse ? new MatchAllDocsQuery() : Parse(text, fuzzy: false);
        if (query is null)
        {
            return Empty(text);
        }
        var filter = index.FilterFor(request);
        var (top, collector) = Collect(query, filter, browse);
        string? didYouMean = null;
        var fuzzy = false;
        // A typo is worth a retry in a short query; a long query without hits has no one culprit
        // (and near spellings of every word of it would make it slow).
        if (collector.TotalHits == 0 && !browse && text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= MaxFuzzyWords)
        {
            didYouMean = Completions.DidYouMean(searcher.IndexReader, index.Analyzers, text);
            var (retry, respelled) = ParseFuzzy(text);
            if (retry is not null && respelled)
            {
                var (retryTop, retryCollector) = Collect(retry, filter, browse);
                if (retryCollector.TotalHits > 0)
                {
                    (query, top, collector, fuzzy) = (retry, retryTop, retryCollector, true);
                }
            }
        }
        var page = top.GetTopDocs((request.Page - 1) * request.PageSize, request.PageSize);
        return new SearchResponse
        {
            Query = text,
            Total = collector.TotalHits,
            Page = request.Page,
            PageSize = request.PageSize,
            Hits = Hits(page.ScoreDocs, browse ? null : query),
            Facets = collector.Facets(),
            DidYouMean = didYouMean,
            Fuzzy = fuzzy,
        };
    }

    private (Query? Query, bool Respelled) ParseFuzzy(string text)
    {
        var parser = new RadarQueryParser(index.Analyzers, searcher.IndexReader, fuzzy: true);
        try
        {
            return (parser.ParseQuery(text), parser.RespelledAny);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException
            or BooleanQuery.TooManyClausesException or IndexOutOfRangeException)
        {
            return (null, false);
        }
    }

    private Query? Parse(string text, bool fuzzy)
    {
        var parser = new RadarQueryParser(index.Analyzers, searcher.IndexReader, fuzzy);
        try
        {
            return parser.ParseQuery(text);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException
            or BooleanQuery.TooManyClausesException or IndexOutOfRangeException)
        {
            // The parser is meant to accept anything; should it not, search the plain words.
            var words = string.Join(' ', text.Split(' ').Select(word => new string(word.Where(char.IsLetterOrDigit).ToArray())));
            return string.IsNullOrWhiteSpace(words) ? null : new RadarQueryParser(index.Analyzers, searcher.IndexReader, fuzzy).ParseQuery(words);
        }
    }

    private (ITopDocsCollector Top, FacetingCollector Collector) Collect(Query query, Filter? filter, bool browse)
    {
        var depth = request.Page * request.PageSize;
        ITopDocsCollector top = request.Sort == SearchSort.Date || browse
            ? TopFieldCollector.Create(
                new Sort(new SortField(SearchFields.Date, SortFieldType.INT64, reverse: true), SortField.FIELD_SCORE),
                depth, fillFields: false, trackDocScores: !browse, trackMaxScore: false, docsScoredInOrder: false)
            : TopScoreDocCollector.Create(depth, docsScoredInOrder: false);
        var collector = new FacetingCollector(top);
        searcher.Search(query, filter, collector);
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
            var (record, body) = HitRecord.Read(searcher.IndexReader, hit.Doc, withBody: field == SearchFields.Body);
            LuceneDocument? stored = null;
            LuceneDocument Stored() => stored ??= RadarIndex.Load(searcher, hit.Doc, withBody: true);
            if (record is null)
            {
                // Written without hit records (an older index): everything from the stored fields.
                var all = Stored();
                var milliseconds = all.GetField(SearchFields.Date)?.GetInt64Value();
                record = new HitRecord(all.Get(SearchFields.Type, CultureInfo.InvariantCulture) ?? string.Empty,
                    all.Get(SearchFields.Id, CultureInfo.InvariantCulture) ?? string.Empty,
                    all.Get(SearchFields.Title, CultureInfo.InvariantCulture) ?? string.Empty,
                    all.Get(SearchFields.Url, CultureInfo.InvariantCulture), all.Get(SearchFields.Area, CultureInfo.InvariantCulture),
                    all.Get(SearchFields.Status, CultureInfo.InvariantCulture), all.GetValues(SearchFields.Department, CultureInfo.InvariantCulture),
                    milliseconds, all.Get(SearchFields.Radar, CultureInfo.InvariantCulture),
                    all.Get(SearchFields.Summary, CultureInfo.InvariantCulture), SummaryComplete: true);
            }
            var snippetText = field switch
            {
                null => record.Summary,
                _ when field == SearchFields.Body => body ?? Stored().Get(SearchFields.Body, CultureInfo.InvariantCulture),
                _ => record.SummaryComplete ? record.Summary : Stored().Get(SearchFields.Summary, CultureInfo.InvariantCulture),
            };
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
