using System.Collections.Concurrent;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Radar.Core.Search.Analysis;
using Radar.Core.Search.Querying;
using Directory = Lucene.Net.Store.Directory;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace Radar.Core.Search;

/// <summary>
/// The Lucene.Net index over measures, news items and measure changes: one writer, near-real-time
/// searchers through a <see cref="SearcherManager"/> (a refresh never blocks a search: searches
/// keep the searcher they acquired), German analysis, facets, snippets, completions.
/// </summary>
/// <remarks>Thread-safe. Writes (upsert, delete, rebuild) are serialised; searches run in parallel.</remarks>
public sealed class RadarIndex : IDisposable
{
    /// <summary>Longest query text looked at; the rest is ignored (no query is an error).</summary>
    public const int MaxQueryLength = 500;

    /// <summary>Most words of a query that count; more make a slow query, not a better one.</summary>
    public const int MaxQueryWords = 32;

    /// <summary>
    /// Index-time weight of a change's text fields. BM25 folds it into the field's norm (the field
    /// looks longer), so a change that repeats its measure's words scores roughly half of the measure.
    /// </summary>
    public const float ChangeWeight = 0.5f;

    private static readonly FieldType StoredText = Frozen(new FieldType(TextField.TYPE_STORED)
    {
        IndexOptions = IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS,
    });

    private static readonly FieldType Text = Frozen(new FieldType(TextField.TYPE_NOT_STORED)
    {
        IndexOptions = IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS,
    });

    // Exact terms given as a token stream: indexed, no positions, no norms, not stored.
    private static readonly FieldType ExactTerms = Frozen(new FieldType
    {
        IsIndexed = true,
        IsTokenized = true,
        OmitNorms = true,
        IndexOptions = IndexOptions.DOCS_ONLY,
    });

    private static readonly ISet<string> HitFields = new HashSet<string>
    {
        SearchFields.Type, SearchFields.Id, SearchFields.Title, SearchFields.Url, SearchFields.Area,
        SearchFields.Status, SearchFields.Department, SearchFields.Date, SearchFields.Summary, SearchFields.Radar,
    };

    private static readonly ISet<string> HitFieldsWithBody = new HashSet<string>(HitFields) { SearchFields.Body };

    private readonly Directory _directory;
    private readonly bool _ownsDirectory;
    private readonly IndexWriter? _writer;
    private readonly SearcherManager _searchers;
    private readonly Similarity _similarity = new BM25Similarity();
    private readonly ConcurrentDictionary<string, Filter> _filters = new(StringComparer.Ordinal);
    private readonly System.Threading.Lock _writeGate = new();
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IndexReader, ConcurrentDictionary<string, SuggestResponse>> _shortSuggestions = new();

    public RadarIndex(Directory directory, RadarAnalyzers? analyzers = null, bool ownsDirectory = false, bool readOnly = false)
    {
        ArgumentNullException.ThrowIfNull(directory);
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        Analyzers = analyzers ?? RadarAnalyzers.FromResources();
        if (readOnly)
        {
            // A replica: searches the newest commit in the directory; Refresh picks up newer ones.
            _searchers = new SearcherManager(directory, new WarmingSearcherFactory(_similarity));
            return;
        }
        var config = new IndexWriterConfig(RadarAnalyzers.Version, Analyzers.Index)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = _similarity,
            RAMBufferSizeMB = 64,
        };
        _writer = new IndexWriter(directory, config);
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, new WarmingSearcherFactory(_similarity));
        LearnIndexedVocabulary();
    }

    /// <summary>An index in a folder on local disk (memory-mapped where the platform allows).</summary>
    public static RadarIndex Open(string path, RadarAnalyzers? analyzers = null)
    {
        System.IO.Directory.CreateDirectory(path);
        return new RadarIndex(FSDirectory.Open(path), analyzers, ownsDirectory: true);
    }

    /// <summary>
    /// A read-only index on a folder that holds a committed index (a replica that something else
    /// writes or downloads): no writer, no write lock; <see cref="Refresh"/> opens newer commits.
    /// </summary>
    public static RadarIndex OpenReadOnly(string path, RadarAnalyzers? analyzers = null) =>
        new(FSDirectory.Open(path), analyzers, ownsDirectory: true, readOnly: true);

    public bool IsReadOnly => _writer is null;

    /// <summary>An index in memory (tests, small tools).</summary>
    public static RadarIndex InMemory(RadarAnalyzers? analyzers = null) =>
        new(new RAMDirectory(), analyzers, ownsDirectory: true);

    public RadarAnalyzers Analyzers { get; }

    /// <summary>Documents searchable now.</summary>
    public int Count
    {
        get
        {
            var searcher = _searchers.Acquire();
            try
            {
                return searcher.IndexReader.NumDocs;
            }
            finally
            {
                _searchers.Release(searcher);
            }
        }
    }

    /// <summary>Adds or replaces documents (by type and id); searchable when this returns.</summary>
    public void Upsert(IEnumerable<SearchDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var batch = documents.ToList();
        if (batch.Count == 0)
        {
            return;
        }
        lock (_writeGate)
        {
            // The batch's own words count as known words before its compounds are split.
            Analyzers.LearnVocabulary(batch.SelectMany(Texts));
            foreach (var document in batch)
            {
                Writer.UpdateDocument(new Term(SearchFields.Key, Key(document.Type, document.Id, document.RadarId)), ToLucene(document));
            }
        }
        Refresh();
    }

    public void Upsert(SearchDocument document) => Upsert([document]);

    /// <summary>Removes a document (of a radar, when it was indexed with one); true if it was there.</summary>
    public bool Delete(string type, string id, string? radarId = null)
    {
        var key = new Term(SearchFields.Key, Key(type, id, radarId));
        bool existed;
        var searcher = _searchers.Acquire();
        try
        {
            existed = searcher.Search(new TermQuery(key), 1).TotalHits > 0;
        }
        finally
        {
            _searchers.Release(searcher);
        }
        lock (_writeGate)
        {
            Writer.DeleteDocuments(key);
        }
        Refresh();
        return existed;
    }

    /// <summary>
    /// Replaces the whole index with these documents, learning their whole vocabulary first so
    /// every compound is split against all words. Commits. Returns the number indexed.
    /// </summary>
    public int Rebuild(IEnumerable<SearchDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var all = documents as IReadOnlyCollection<SearchDocument> ?? documents.ToList();
        lock (_writeGate)
        {
            Analyzers.LearnVocabulary(all.SelectMany(Texts));
            Writer.DeleteAll();
            foreach (var document in all)
            {
                Writer.AddDocument(ToLucene(document));
            }
            Writer.Commit();
        }
        Refresh();
        return all.Count;
    }

    /// <summary>Makes what was written durable (a Lucene commit).</summary>
    public void Commit()
    {
        lock (_writeGate)
        {
            Writer.Commit();
        }
    }

    /// <summary>Merges the index down to one segment (after a bulk load; slow on a big index).</summary>
    public void Optimize()
    {
        lock (_writeGate)
        {
            Writer.ForceMerge(1);
            Writer.Commit();
        }
        Refresh();
    }

    /// <summary>Opens a new searcher on what was written. Searches in flight keep the old one.</summary>
    public void Refresh() => _searchers.MaybeRefreshBlocking();

    public SearchResponse Search(SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var searcher = _searchers.Acquire();
        try
        {
            return new SearchRun(this, searcher, request).Execute();
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>Stage timings for the benchmark's probe: parse, collect with facets (ms).</summary>
    internal (double Parse, double Collect, double Find, double Load, double Build) ProbeStages(SearchRequest request)
    {
        var searcher = _searchers.Acquire();
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var query = new RadarQueryParser(Analyzers, searcher.IndexReader, fuzzy: false).ParseQuery(Bound(request.Query));
            var parse = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var top = TopScoreDocCollector.Create(20, false);
            var collector = new FacetingCollector(top);
            if (query is null)
            {
                return (parse, 0, 0, 0, 0);
            }
            searcher.Search(query, FilterFor(request), collector);
            collector.Facets();
            var collect = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var docs = top.GetTopDocs().ScoreDocs.Select(d => d.Doc).ToArray();
            var spans = Snippets.Find(searcher.IndexReader, docs, Snippets.TermsOf(query));
            var find = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var loaded = docs.Select(d => (d, HitRecord.Read(searcher.IndexReader, d, Snippets.BestField(d, spans) == SearchFields.Body))).ToList();
            var load = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            foreach (var (d, stored) in loaded)
            {
                var field = Snippets.BestField(d, spans) ?? SearchFields.Summary;
                spans.TryGetValue((d, field), out var list);
                Snippets.Build((field == SearchFields.Body ? stored.Body : stored.Hit?.Summary) ?? "", list);
            }
            return (parse, collect, find, load, watch.Elapsed.TotalMilliseconds);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>Stage timings of indexing for the benchmark's probe (ms): vocabulary, completion entries, documents.</summary>
    internal (double Vocabulary, double Entries, double Documents) ProbeIndexing(IReadOnlyList<SearchDocument> documents)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Analyzers.LearnVocabulary(documents.SelectMany(Texts));
        var vocabulary = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        foreach (var document in documents)
        {
            Completions.For(document, document.Title, document.Summary, Analyzers);
        }
        var entries = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        foreach (var document in documents)
        {
            ToLucene(document);
        }
        return (vocabulary, entries, watch.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// Measures a text is about (a news item's title and summary): every word of the text may
    /// match (not all are required), in title, tags and summary with their weights — not in the
    /// body, whose long texts would relate almost anything. Best first; only those scoring at least
    /// <paramref name="minScore"/> and at least <paramref name="relativeScore"/> of the best.
    /// </summary>
    public IReadOnlyList<(string Id, string? Radar, float Score)> FindMeasures(
        string text, string? radarId, int max = 5, float minScore = 0f, float relativeScore = 0f)
    {
        var tokens = RadarAnalyzers.Terms(Analyzers.Query, SearchFields.Title, Bound(text ?? string.Empty))
            .Distinct(StringComparer.Ordinal)
            .Take(MaxQueryWords * 2)
            .ToList();
        if (tokens.Count == 0)
        {
            return [];
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
        var filter = FilterFor(new SearchRequest
        {
            Types = [SearchDocumentTypes.Measure],
            Radars = string.IsNullOrWhiteSpace(radarId) ? [] : [radarId],
        });
        var searcher = _searchers.Acquire();
        try
        {
            var top = searcher.Search(query, filter, Math.Clamp(max, 1, 100)).ScoreDocs;
            if (top.Length == 0)
            {
                return [];
            }
            var floor = Math.Max(minScore, top[0].Score * relativeScore);
            return top.Where(hit => hit.Score >= floor)
                .Select(hit => (Record: HitRecord.Read(searcher.IndexReader, hit.Doc, withBody: false).Hit, hit.Score))
                .Where(hit => hit.Record is not null)
                .Select(hit => (hit.Record!.Id, hit.Record.Radar, hit.Score))
                .ToList();
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>The generation of the commit searches see now (a replica's "version").</summary>
    public long Generation
    {
        get
        {
            var searcher = _searchers.Acquire();
            try
            {
                return searcher.IndexReader is DirectoryReader reader ? reader.IndexCommit.Generation : 0;
            }
            finally
            {
                _searchers.Release(searcher);
            }
        }
    }

    /// <summary>The newest commit in the directory: its segments file, generation and every file
    /// it consists of (what a snapshot must publish).</summary>
    internal (string SegmentsFile, long Generation, IReadOnlyList<string> Files) LastCommit()
    {
        lock (_writeGate)
        {
            var infos = new SegmentInfos();
            infos.Read(_directory);
            return (infos.GetSegmentsFileName(), infos.Generation, infos.GetFiles(_directory, includeSegmentsFile: true).ToList());
        }
    }

    /// <summary>Completions for what a user has typed so far; cheap enough for every keystroke.</summary>
    public SuggestResponse Suggest(string typed, int count = 8)
    {
        var searcher = _searchers.Acquire();
        try
        {
            var text = typed ?? string.Empty;
            text = text.Length > 100 ? text[..100] : text;
            count = Math.Clamp(count, 1, 20);
            // One or two letters scan the most terms, and are what everybody types first: keep
            // their answers for as long as this searcher lives (a refresh starts afresh).
            if (text.Trim().Length <= 2)
            {
                var answers = _shortSuggestions.GetValue(searcher.IndexReader, _ => new ConcurrentDictionary<string, SuggestResponse>(StringComparer.Ordinal));
                return answers.Count < 10_000
                    ? answers.GetOrAdd(text + "\u0001" + count, _ => Completions.Suggest(searcher.IndexReader, Analyzers, text, count))
                    : Completions.Suggest(searcher.IndexReader, Analyzers, text, count);
            }
            return Completions.Suggest(searcher.IndexReader, Analyzers, text, count);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public void Dispose()
    {
        _searchers.Dispose();
        _writer?.Dispose();
        if (_ownsDirectory)
        {
            _directory.Dispose();
        }
        Analyzers.Dispose();
    }

    // Measure ids are unique within their radar only: the radar is part of the key.
    internal static string Key(string type, string id, string? radarId) =>
        string.IsNullOrWhiteSpace(radarId) ? type + "/" + id : type + "/" + radarId.Trim() + "/" + id;

    private IndexWriter Writer => _writer ?? throw new InvalidOperationException("This index is a read-only replica: it cannot be written.");

    /// <summary>The cleaned, bounded query text that is parsed.</summary>
    internal static string Bound(string query)
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

    internal Filter? FilterFor(SearchRequest request)
    {
        var clauses = new List<Filter>();
        AddTerms(clauses, "type", request.Types);
        AddTerms(clauses, "area", request.Areas);
        AddTerms(clauses, "status", request.Statuses);
        AddTerms(clauses, "department", request.Departments);
        AddTerms(clauses, "tag", request.Tags);
        AddTerms(clauses, "radar", request.Radars);
        if (request.RelatedTo.Count > 0)
        {
            // Exact keys ("radar:measure"), not folded: they are ids.
            clauses.Add(new TermsFilter(SearchFields.Filter("related"), request.RelatedTo.Select(value => new BytesRef(value)).ToList()));
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
        if (_filters.Count > 2000)
        {
            _filters.Clear();
        }
        clauses.Add(_filters.GetOrAdd(cacheKey, _ => new CachingWrapperFilter(
            new TermsFilter(SearchFields.Filter(name), folded.Select(value => new BytesRef(value)).ToList()))));
    }

    private static IEnumerable<string> Texts(SearchDocument document) =>
        new[] { document.Title, document.Summary ?? string.Empty, document.Body ?? string.Empty }.Concat(document.Tags);

    private LuceneDocument ToLucene(SearchDocument source)
    {
        var document = new LuceneDocument
        {
            new StringField(SearchFields.Key, Key(source.Type, source.Id, source.RadarId), Field.Store.NO),
            new StoredField(SearchFields.Type, source.Type),
            new StoredField(SearchFields.Id, source.Id),
        };
        var title = SearchText.Clean(source.Title);
        var summary = SearchText.Clean(source.Summary);
        var body = SearchText.Clean(source.Body);
        // A change repeats its measure's title: with the same words it ranks below the measure.
        var weight = source.Type == SearchDocumentTypes.Change ? ChangeWeight : 1f;
        document.Add(new Field(SearchFields.Title, title, StoredText) { Boost = weight });
        if (summary.Length > 0)
        {
            document.Add(new Field(SearchFields.Summary, summary, StoredText) { Boost = weight });
        }
        var bodyValue = body.Length > 0 ? HitRecord.EncodeBody(body) : null;
        if (body.Length > 0)
        {
            // The body is read from its doc value; stored as well only when too long for one.
            document.Add(new Field(SearchFields.Body, body, bodyValue is null ? StoredText : Text) { Boost = weight });
        }
        foreach (var tag in source.Tags.Where(tag => !string.IsNullOrWhiteSpace(tag)))
        {
            document.Add(new Field(SearchFields.Tags, SearchText.Clean(tag), Text) { Boost = weight });
            document.Add(new StringField(SearchFields.Filter("tag"), GermanFolding.Fold(tag.Trim()), Field.Store.NO));
        }

        Keyword(document, SearchFields.Type, "type", source.Type, facet: true);
        Keyword(document, SearchFields.Area, "area", source.Area, facet: true);
        Keyword(document, SearchFields.Status, "status", source.Status, facet: true);
        Keyword(document, SearchFields.Radar, "radar", source.RadarId, facet: false);
        Stored(document, SearchFields.Url, source.Url);
        Stored(document, SearchFields.Field, source.Field);
        Stored(document, SearchFields.Source, source.Source);
        Stored(document, SearchFields.MeasureId, source.MeasureId);
        foreach (var related in source.RelatedMeasures.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct(StringComparer.Ordinal))
        {
            document.Add(new StringField(SearchFields.Filter("related"), related, Field.Store.NO));
        }
        foreach (var department in source.Departments.Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => d.Trim()).Distinct(StringComparer.Ordinal))
        {
            document.Add(new StoredField(SearchFields.Department, department));
            document.Add(new StringField(SearchFields.Filter("department"), GermanFolding.Fold(department), Field.Store.NO));
            document.Add(new SortedSetDocValuesField(SearchFields.Facet(FacetNames.Department), new BytesRef(department)));
        }
        if (source.Date is { } date)
        {
            var milliseconds = date.ToUnixTimeMilliseconds();
            document.Add(new Int64Field(SearchFields.Date, milliseconds, Field.Store.YES));
            document.Add(new NumericDocValuesField(SearchFields.Date, milliseconds));
        }

        // Cleaned like the text: the hit record separates its parts with control characters.
        var departments = source.Departments.Select(SearchText.Clean).Select(d => d.Trim()).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        document.Add(new BinaryDocValuesField(HitRecord.Field, HitRecord.Encode(SearchText.Clean(source.Type), SearchText.Clean(source.Id), title,
            SearchText.Clean(source.Url).Trim(), SearchText.Clean(source.Area).Trim(), SearchText.Clean(source.Status).Trim(),
            departments, source.Date?.ToUnixTimeMilliseconds(), SearchText.Clean(source.RadarId).Trim(), summary)));
        if (bodyValue is not null)
        {
            document.Add(new BinaryDocValuesField(HitRecord.BodyField, bodyValue));
        }

        var entries = Completions.For(source, title, summary, Analyzers);
        document.Add(new Field(SearchFields.Complete, new ListTokenStream(entries.Complete), ExactTerms));
        document.Add(new Field(SearchFields.Spell, new ListTokenStream(entries.Spell), ExactTerms));
        return document;
    }

    private static void Keyword(LuceneDocument document, string stored, string filter, string? value, bool facet)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }
        value = value.Trim();
        document.Add(new StoredField(stored, value));
        document.Add(new StringField(SearchFields.Filter(filter), GermanFolding.Fold(value), Field.Store.NO));
        if (facet)
        {
            document.Add(new SortedDocValuesField(SearchFields.Facet(filter), new BytesRef(value)));
        }
    }

    private static void Stored(LuceneDocument document, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            document.Add(new StoredField(name, value));
        }
    }

    // The index's own words (its terms are light stems) join the curated list, so compounds in
    // new documents split against everything indexed so far, also after a restart.
    private void LearnIndexedVocabulary()
    {
        var searcher = _searchers.Acquire();
        try
        {
            var stems = new List<string>();
            foreach (var field in new[] { SearchFields.Title, SearchFields.Summary, SearchFields.Body, SearchFields.Tags })
            {
                var terms = MultiFields.GetTerms(searcher.IndexReader, field);
                if (terms is null)
                {
                    continue;
                }
                var enumerator = terms.GetEnumerator();
                while (enumerator.MoveNext())
                {
                    stems.Add(enumerator.Term.Utf8ToString());
                }
            }
            Analyzers.Compounds.Learn(stems);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    private static FieldType Frozen(FieldType type)
    {
        type.Freeze();
        return type;
    }

    /// <summary>Reads a hit's stored fields.</summary>
    internal static LuceneDocument Load(IndexSearcher searcher, int doc, bool withBody) =>
        searcher.Doc(doc, withBody ? HitFieldsWithBody : HitFields);

    /// <summary>New searchers get BM25 and have their segments' facet columns read before use.</summary>
    private sealed class WarmingSearcherFactory(Similarity similarity) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader)
        {
            var searcher = new IndexSearcher(reader) { Similarity = similarity };
            foreach (var leaf in reader.Leaves)
            {
                SegmentColumns.For(leaf.AtomicReader);
            }
            return searcher;
        }
    }
}
