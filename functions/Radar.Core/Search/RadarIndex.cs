using System.Collections.Concurrent;
using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Radar.Core.Search.Analysis;
using Radar.Core.Search.Querying;
using Directory = Lucene.Net.Store.Directory;

namespace Radar.Core.Search;

/// <summary>
/// The Lucene.Net index over measures, news items and measure changes. This file is its
/// lifecycle: one writer, near-real-time searchers through a <see cref="SearcherManager"/> (a
/// refresh never blocks a search: searches keep the searcher they acquired), writes, commits. What
/// it does lives beside it, one concern a file: <see cref="LuceneDocumentMapper"/> (a
/// <see cref="SearchDocument"/> as Lucene fields, and a hit read back), <see cref="QueryBuilder"/>
/// (query text, parsing, filters), <see cref="SearchRun"/> (one search: hits, facets, fuzzy retry,
/// snippets), <see cref="Suggester"/> (completions, with their cache), <see cref="MeasureFinder"/>
/// (the measures a text is about).
/// </summary>
/// <remarks>Thread-safe. Writes (upsert, delete, rebuild) are serialised; searches run in parallel.</remarks>
public sealed class RadarIndex : IDisposable
{
    private readonly Directory _directory;
    private readonly bool _ownsDirectory;
    private readonly IndexWriter? _writer;
    private readonly SearcherManager _searchers;
    private readonly Similarity _similarity = new BM25Similarity();
    private readonly System.Threading.Lock _writeGate = new();
    private readonly Suggester _suggester;

    // Read-model records decoded once per segment document (a segment's stored fields never
    // change, so the entry stays right across refreshes); bounded, emptied when full.
    private readonly ConcurrentDictionary<(object Segment, int Doc), object> _decoded = new();
    private int _decodedCount;
    private const int MaxDecoded = 4096;

    public RadarIndex(Directory directory, RadarAnalyzers? analyzers = null, bool ownsDirectory = false, bool readOnly = false)
    {
        ArgumentNullException.ThrowIfNull(directory);
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        Analyzers = analyzers ?? RadarAnalyzers.FromResources();
        Queries = new QueryBuilder(Analyzers);
        _suggester = new Suggester(Analyzers);
        if (readOnly)
        {
            // A replica: searches the newest commit in the directory; Refresh picks up newer ones.
            _searchers = new SearcherManager(directory, new WarmingSearcherFactory(_similarity, warmListing: true));
            return;
        }
        var config = new IndexWriterConfig(RadarAnalyzers.Version, Analyzers.Index)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = _similarity,
            RAMBufferSizeMB = 64,
        };
        _writer = new IndexWriter(directory, config);
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, new WarmingSearcherFactory(_similarity, warmListing: false));
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

    /// <summary>Query text, parsing and filters (with the filter cache) for this index.</summary>
    internal QueryBuilder Queries { get; }

    /// <summary>Documents searchable now.</summary>
    public int Count => Use(searcher => searcher.IndexReader.NumDocs);

    /// <summary>The generation of the commit searches see now (a replica's "version").</summary>
    public long Generation => Use(searcher => ((RadarSearcher)searcher).Generation);

    /// <summary>Adds or replaces documents (by type, radar and id); searchable when this returns.</summary>
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
            Analyzers.LearnVocabulary(batch.SelectMany(LuceneDocumentMapper.Texts));
            if (batch.Count >= ParallelUpsertFrom)
            {
                // A run's worth (a news ingest's thousands of items) is analysed on every core: the
                // writer takes documents from several threads. Analysis is most of an update's time.
                Parallel.ForEach(batch, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, document =>
                    Writer.UpdateDocument(LuceneDocumentMapper.KeyTerm(document.Type, document.Id, document.RadarId), LuceneDocumentMapper.ToLucene(document, Analyzers)));
            }
            else
            {
                foreach (var document in batch)
                {
                    Writer.UpdateDocument(LuceneDocumentMapper.KeyTerm(document.Type, document.Id, document.RadarId), LuceneDocumentMapper.ToLucene(document, Analyzers));
                }
            }
        }
        Refresh();
    }

    /// <summary>From how many documents an <see cref="Upsert(IEnumerable{SearchDocument})"/> is
    /// spread over the cores (smaller batches keep their order in the index).</summary>
    internal const int ParallelUpsertFrom = 1000;

    public void Upsert(SearchDocument document) => Upsert([document]);

    /// <summary>Removes a document (of a radar, when it was indexed with one); true if it was there.</summary>
    public bool Delete(string type, string id, string? radarId = null)
    {
        var key = LuceneDocumentMapper.KeyTerm(type, id, radarId);
        var existed = Use(searcher => searcher.Search(new TermQuery(key), 1).TotalHits > 0);
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
            Analyzers.LearnVocabulary(all.SelectMany(LuceneDocumentMapper.Texts));
            Writer.DeleteAll();
            foreach (var document in all)
            {
                Writer.AddDocument(LuceneDocumentMapper.ToLucene(document, Analyzers));
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
        return Use(searcher => new SearchRun(searcher, Analyzers, Queries, request).Execute());
    }

    /// <summary>Completions for what a user has typed so far; cheap enough for every keystroke.</summary>
    /// <param name="radar">Only completions from this radar's documents (null: every radar's).</param>
    public SuggestResponse Suggest(string typed, int count = 8, string? radar = null) =>
        Use(searcher => _suggester.Suggest(searcher.IndexReader, typed, count, radar));

    /// <summary>
    /// Measures a text is about (a news item's title and summary), best first; see
    /// <see cref="MeasureFinder"/>. Only those scoring at least <paramref name="minScore"/> and at
    /// least <paramref name="relativeScore"/> of the best. Answered by the commit's
    /// <see cref="MeasureMatcher"/>: the search's scores without a search per text.
    /// </summary>
    public IReadOnlyList<(string Id, string? Radar, float Score)> FindMeasures(
        string text, string? radarId, int max = 5, float minScore = 0f, float relativeScore = 0f) =>
        Use(searcher => MeasureMatcher.For(searcher, Queries).Find(text, radarId, max, minScore, relativeScore));

    /// <summary><see cref="FindMeasures"/> as a Lucene search (<see cref="MeasureFinder"/>): the
    /// definition the matcher is held to.</summary>
    internal IReadOnlyList<(string Id, string? Radar, float Score)> FindMeasuresBySearch(
        string text, string? radarId, int max = 5, float minScore = 0f, float relativeScore = 0f) =>
        Use(searcher => MeasureFinder.Find(searcher, Queries, text, radarId, max, minScore, relativeScore));

    /// <summary>The stored JSON of every read-model record of <paramref name="kinds"/> in the commit
    /// searches see now, and that commit's generation (both from one searcher).</summary>
    public (long Generation, IReadOnlyList<string> Records) ReadRecords(params string[] kinds) => Use(searcher =>
    {
        var query = new BooleanQuery();
        foreach (var kind in kinds)
        {
            query.Add(new TermQuery(new Term(SearchFields.RecordKind, kind)), Occur.SHOULD);
        }

        var top = searcher.Search(query, Math.Max(1, searcher.IndexReader.MaxDoc));
        IReadOnlyList<string> records = [.. top.ScoreDocs.Select(hit => StoredJson(searcher, hit.Doc))];
        return (((RadarSearcher)searcher).Generation, records);
    });

    /// <summary>The record of the listed document with this id (a news item's key), decoded by
    /// <paramref name="decode"/> from its stored JSON, or null.</summary>
    public T? ListedRecord<T>(string id, Func<string, T> decode) where T : class => Use(searcher =>
    {
        var doc = ((RadarSearcher)searcher).Listing.Find(id);
        return doc < 0 ? null : Decoded(searcher, doc, decode);
    });

    /// <summary>The records of documents listed under every one of <paramref name="listedUnder"/>
    /// (terms of <see cref="SearchFields.Listed"/>), newest first (ties by id), skipping
    /// <paramref name="skip"/>; <c>HasMore</c>: there are more.</summary>
    public (IReadOnlyList<T> Records, bool HasMore) ListRecords<T>(IReadOnlyList<string> listedUnder, int skip, int take, Func<string, T> decode) where T : class =>
        ListRecords([.. listedUnder.Select(term => new Term(SearchFields.Listed, term))], skip, take, decode);

    /// <summary>The records of listed documents related to a measure (<see cref="SearchDocument.RelatedKey"/>),
    /// newest first, at most <paramref name="take"/>.</summary>
    public IReadOnlyList<T> RelatedRecords<T>(string relatedKey, int take, Func<string, T> decode) where T : class =>
        ListRecords([new Term(SearchFields.Filter(SearchFields.Related), relatedKey)], 0, take, decode).Records;

    private (IReadOnlyList<T> Records, bool HasMore) ListRecords<T>(IReadOnlyList<Term> terms, int skip, int take, Func<string, T> decode) where T : class => Use(searcher =>
    {
        var (docs, hasMore) = ((RadarSearcher)searcher).Listing.Page(terms, skip, take);
        IReadOnlyList<T> records = [.. docs.Select(doc => Decoded(searcher, doc, decode))];
        return (records, hasMore);
    });

    private T Decoded<T>(IndexSearcher searcher, int doc, Func<string, T> decode) where T : class
    {
        var leaves = searcher.IndexReader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
        var key = (leaf.AtomicReader.CoreCacheKey, doc - leaf.DocBase);
        if (_decoded.TryGetValue(key, out var known) && known is T record)
        {
            return record;
        }

        record = decode(StoredJson(searcher, doc));
        if (Interlocked.Increment(ref _decodedCount) > MaxDecoded)
        {
            _decoded.Clear();
            Interlocked.Exchange(ref _decodedCount, 0);
        }

        _decoded[key] = record;
        return record;
    }

    private static string StoredJson(IndexSearcher searcher, int doc) =>
        searcher.Doc(doc, new HashSet<string> { SearchFields.RecordJson }).Get(SearchFields.RecordJson, CultureInfo.InvariantCulture) ?? "";

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

    /// <summary>Runs <paramref name="use"/> on the searcher of this moment, released afterwards
    /// (a refresh meanwhile does not affect it).</summary>
    internal T Use<T>(Func<IndexSearcher, T> use)
    {
        var searcher = _searchers.Acquire();
        try
        {
            return use(searcher);
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

    private IndexWriter Writer => _writer ?? throw new InvalidOperationException("This index is a read-only replica: it cannot be written.");

    // The index's own words (its terms are light stems) join the curated list, so compounds in
    // new documents split against everything indexed so far, also after a restart.
    private void LearnIndexedVocabulary() => Use(searcher =>
    {
        var stems = new List<string>();
        foreach (var field in SearchFields.TextFields)
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
        return stems.Count;
    });

    /// <summary>New searchers get BM25, their commit's generation and their listing order, and have
    /// their segments' facet columns read before use. A replica's searchers work out the listing
    /// order before they serve (a writer's, refreshed after every write, when first asked).</summary>
    private sealed class WarmingSearcherFactory(Similarity similarity, bool warmListing) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader)
        {
            var searcher = new RadarSearcher(reader) { Similarity = similarity };
            foreach (var leaf in reader.Leaves)
            {
                SegmentColumns.For(leaf.AtomicReader);
            }

            if (warmListing)
            {
                _ = searcher.Listing;
            }

            return searcher;
        }
    }
}
