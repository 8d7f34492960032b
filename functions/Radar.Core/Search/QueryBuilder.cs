using System.Collections.Concurrent;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Radar.Core.Search.Analysis;
using Radar.Core.Search.Querying;

namespace Radar.Core.Search;

/// <summary>
/// From a <see cref="SearchRequest"/> to what Lucene runs: the query text bounded, parsed (as
/// typed, or with near spellings for the fuzzy retry) by <see cref="RadarQueryParser"/>, and the
/// filters. One per index: it keeps the filters, which are asked for again and again.
/// </summary>
internal sealed class QueryBuilder(RadarAnalyzers analyzers)
{
    /// <summary>Longest query text looked at; the rest is ignored (no query is an error).</summary>
    public const int MaxQueryLength = 500;

    /// <summary>Most words of a query that count; more make a slow query, not a better one.</summary>
    public const int MaxQueryWords = 32;

    private const int MaxCachedFilters = 2000;

    private readonly ConcurrentDictionary<string, Filter> _filters = new(StringComparer.Ordinal);

    public RadarAnalyzers Analyzers => analyzers;

    /// <summary>The cleaned, bounded query text that is parsed.</summary>
    public static string Bound(string query)
    {
        var text = SearchText.Clean(query).Trim();
        if (text.Length > MaxQueryLength)
        {
            var cut = text.LastIndexOf(' ', MaxQueryLength);
            text = text[..(cut > 0 ? cut : MaxQueryLength)];
        }
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length > MaxQueryWords ? string.Join(' ', words.Take(MaxQueryWords)) : text;
    }

    /// <summary>The query as typed; null when nothing of it can be searched.</summary>
    public Query? Parse(IndexReader reader, string text)
    {
        try
        {
            return new RadarQueryParser(analyzers, reader, fuzzy: false).ParseQuery(text);
        }
        catch (Exception exception) when (IsParserFailure(exception))
        {
            // The parser is meant to accept anything; should it not, search the plain words.
            var words = string.Join(' ', text.Split(' ').Select(word => new string(word.Where(char.IsLetterOrDigit).ToArray())));
            return string.IsNullOrWhiteSpace(words) ? null : new RadarQueryParser(analyzers, reader, fuzzy: false).ParseQuery(words);
        }
    }

    /// <summary>The query with near spellings of the words the index does not know, and whether
    /// there were any (else a retry cannot find more).</summary>
    public (Query? Query, bool Respelled) ParseFuzzy(IndexReader reader, string text)
    {
        var parser = new RadarQueryParser(analyzers, reader, fuzzy: true);
        try
        {
            return (parser.ParseQuery(text), parser.RespelledAny);
        }
        catch (Exception exception) when (IsParserFailure(exception))
        {
            return (null, false);
        }
    }

    /// <summary>
    /// Any word of <paramref name="text"/> (not all required) in title, tags or summary with their
    /// weights — not in the body, whose long texts would relate almost anything. Null when the text
    /// has no words.
    /// </summary>
    public Query? AnyWord(string text)
    {
        var tokens = AnyWordTerms(text);
        if (tokens.Count == 0)
        {
            return null;
        }
        var query = new BooleanQuery(disableCoord: true);
        foreach (var token in tokens)
        {
            var anyField = new BooleanQuery(disableCoord: true);
            foreach (var field in new[] { SearchFields.Title, SearchFields.Tags, SearchFields.Summary })
            {
                anyField.Add(new TermQuery(new Term(field, token)) { Boost = SearchFields.TextWeights[field] }, Occur.SHOULD);
            }
            query.Add(anyField, Occur.SHOULD);
        }
        return query;
    }

    /// <summary>The analysed words of <see cref="AnyWord"/>'s query, in its clause order.</summary>
    public IReadOnlyList<string> AnyWordTerms(string text) =>
        [.. RadarAnalyzers.Terms(analyzers.Query, SearchFields.Title, Bound(text ?? string.Empty))
            .Distinct(StringComparer.Ordinal)
            .Take(MaxQueryWords * 2)];

    /// <summary>The request's filters as one Lucene filter (they narrow without scoring); null
    /// when there are none.</summary>
    public Filter? FilterFor(SearchRequest request)
    {
        var clauses = new List<Filter>();
        AddTerms(clauses, SearchFields.Type, request.Types);
        AddTerms(clauses, SearchFields.Area, request.Areas);
        AddTerms(clauses, SearchFields.Status, request.Statuses);
        AddTerms(clauses, SearchFields.Department, request.Departments);
        AddTerms(clauses, SearchFields.Tag, request.Tags);
        AddTerms(clauses, SearchFields.Radar, request.Radars);
        if (request.RelatedTo.Count > 0)
        {
            // Exact keys ("radar:measure"), not folded: they are ids.
            clauses.Add(new TermsFilter(SearchFields.Filter(SearchFields.Related), request.RelatedTo.Select(value => new BytesRef(value)).ToList()));
        }
        if (request.From is not null || request.To is not null)
        {
            clauses.Add(NumericRangeFilter.NewInt64Range(SearchFields.Date,
                request.From?.ToUnixTimeMilliseconds(), request.To?.ToUnixTimeMilliseconds(), true, false));
        }
        if (clauses.Count <= 1)
        {
            return clauses.FirstOrDefault();
        }
        var all = new BooleanFilter();
        foreach (var clause in clauses)
        {
            all.Add(clause, Occur.MUST);
        }
        return all;
    }

    // One cached filter per field and value set: the same few areas, statuses and types are asked
    // for again and again, and a cached filter is a bitset per segment.
    private void AddTerms(List<Filter> clauses, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        var folded = values.Select(GermanFolding.Fold).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var cacheKey = name + "\u0001" + string.Join('\u0001', folded);
        if (_filters.Count > MaxCachedFilters)
        {
            _filters.Clear();
        }
        clauses.Add(_filters.GetOrAdd(cacheKey, _ => new CachingWrapperFilter(
            new TermsFilter(SearchFields.Filter(name), folded.Select(value => new BytesRef(value)).ToList()))));
    }

    private static bool IsParserFailure(Exception exception) =>
        exception is ArgumentException or InvalidOperationException or BooleanQuery.TooManyClausesException or IndexOutOfRangeException;
}
