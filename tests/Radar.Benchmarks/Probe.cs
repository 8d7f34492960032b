using System.Diagnostics;
using Lucene.Net.Search;
using Radar.Core.Search;
using Radar.Core.Search.Querying;

namespace Radar.Benchmarks;

/// <summary>
/// Where the time of a search goes, stage by stage (for tuning; prints to stdout). The stages are
/// Radar.Core's own internal steps, timed one by one (<c>InternalsVisibleTo</c>): they are not API.
/// </summary>
public static class Probe
{
    public static void Indexing(int size)
    {
        var documents = new CorpusGenerator().Documents(size).ToList();
        for (var round = 0; round < 2; round++)
        {
            using var index = RadarIndex.InMemory();
            var (vocabulary, entries, lucene) = IndexingStages(index, documents);
            foreach (var (name, analyzer) in new[] { ("index", index.Analyzers.Index), ("query", index.Analyzers.Query), ("vocabulary", index.Analyzers.Vocabulary), ("surface", index.Analyzers.Surface) })
            {
                var clock = Stopwatch.StartNew();
                var tokens = 0;
                foreach (var document in documents)
                {
                    foreach (var text in new[] { document.Title, document.Summary!, document.Body! })
                    {
                        tokens += Radar.Core.Search.Analysis.RadarAnalyzers.Terms(analyzer, "body", text).Count;
                    }
                }
                Console.WriteLine($"  analyzer {name}: {clock.Elapsed.TotalMilliseconds:F0} ms, {tokens} tokens");
            }
            var watch = Stopwatch.StartNew();
            index.Rebuild(documents);
            Console.WriteLine($"{size} docs: vocabulary {vocabulary:F0} ms, completion entries {entries:F0} ms, documents built {lucene:F0} ms, whole rebuild {watch.Elapsed.TotalMilliseconds:F0} ms ({size / watch.Elapsed.TotalSeconds:F0} docs/s)");
        }
    }

    /// <summary>Start-up: opening the index (writer, warmed searcher, vocabulary) and the first answers.</summary>
    public static void Open(int size)
    {
        var watch = Stopwatch.StartNew();
        using var index = RadarIndex.Open(Workbench.LucenePath(size));
        var open = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var first = index.Search(new SearchRequest { Query = "Digitalisierung" });
        var firstSearch = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        index.Search(new SearchRequest { Query = "Verwaltung", Areas = ["infrastruktur"] });
        var second = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        index.Suggest("dig");
        var suggest = watch.Elapsed.TotalMilliseconds;
        Console.WriteLine($"{size} docs: open {open:F0} ms, first search {firstSearch:F0} ms ({first.Total} matches), second {second:F1} ms, first suggest {suggest:F1} ms, process up {(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds:F0} ms");
    }

    public static void Run(int size, string kind)
    {
        using var bench = Workbench.Open(size);
        var queries = bench.Queries.Where(q => kind == "all" || q.Kind == kind).ToList();
        var analyzers = bench.Lucene.Analyzers;
        var manager = bench.Lucene;
        for (var round = 0; round < 4; round++)
        {
            double parse = 0, collect = 0, full = 0, one = 0, find = 0, load = 0, build = 0;
            foreach (var query in queries)
            {
                var watch = Stopwatch.StartNew();
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                manager.Search(query.ToRequest());
                full += watch.Elapsed.TotalMilliseconds;
                if (round == 3)
                {
                    Console.WriteLine($"  {query}: {(GC.GetAllocatedBytesForCurrentThread() - allocated) / 1024} KiB allocated");
                }
                watch.Restart();
                manager.Search(query.ToRequest() with { PageSize = 1 });
                one += watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                var (p, c, f, l, b) = SearchStages(manager, query.ToRequest());
                parse += p;
                collect += c;
                find += f;
                load += l;
                build += b;
            }
            Console.WriteLine($"{kind} n={queries.Count}: full {full / queries.Count:F3} ms, pageSize=1 {one / queries.Count:F3} ms, parse {parse / queries.Count:F3} ms, collect+facets {collect / queries.Count:F3} ms, find spans {find / queries.Count:F3}, load stored {load / queries.Count:F3}, build snippets {build / queries.Count:F3}");
        }
    }

    /// <summary>Stage timings of one search (ms): parse, collect with facets, find snippet spans,
    /// load hit records, build snippets.</summary>
    private static (double Parse, double Collect, double Find, double Load, double Build) SearchStages(RadarIndex index, SearchRequest request) =>
        index.Use(searcher =>
        {
            var watch = Stopwatch.StartNew();
            var query = new RadarQueryParser(index.Analyzers, searcher.IndexReader, fuzzy: false).ParseQuery(QueryBuilder.Bound(request.Query));
            var parse = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var top = TopScoreDocCollector.Create(20, false);
            var collector = new FacetingCollector(top);
            if (query is null)
            {
                return (parse, 0, 0, 0, 0);
            }
            searcher.Search(query, index.Queries.FilterFor(request), collector);
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
        });

    /// <summary>Stage timings of indexing (ms): vocabulary, completion entries, Lucene documents.</summary>
    private static (double Vocabulary, double Entries, double Documents) IndexingStages(RadarIndex index, IReadOnlyList<SearchDocument> documents)
    {
        var watch = Stopwatch.StartNew();
        index.Analyzers.LearnVocabulary(documents.SelectMany(LuceneDocumentMapper.Texts));
        var vocabulary = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        foreach (var document in documents)
        {
            Completions.For(document, document.Title, document.Summary, index.Analyzers);
        }
        var entries = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        foreach (var document in documents)
        {
            LuceneDocumentMapper.ToLucene(document, index.Analyzers);
        }
        return (vocabulary, entries, watch.Elapsed.TotalMilliseconds);
    }
}
