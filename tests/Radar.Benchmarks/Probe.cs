using System.Diagnostics;
using Radar.Core.Search;

namespace Radar.Benchmarks;

/// <summary>Where the time of a search goes, stage by stage (for tuning; prints to stdout).</summary>
public static class Probe
{
    public static void Indexing(int size)
    {
        var documents = new CorpusGenerator().Documents(size).ToList();
        for (var round = 0; round < 2; round++)
        {
            using var index = RadarIndex.InMemory();
            var (vocabulary, entries, lucene) = index.ProbeIndexing(documents);
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
                var (p, c, f, l, b) = manager.ProbeStages(query.ToRequest());
                parse += p;
                collect += c;
                find += f;
                load += l;
                build += b;
            }
            Console.WriteLine($"{kind} n={queries.Count}: full {full / queries.Count:F3} ms, pageSize=1 {one / queries.Count:F3} ms, parse {parse / queries.Count:F3} ms, collect+facets {collect / queries.Count:F3} ms, find spans {find / queries.Count:F3}, load stored {load / queries.Count:F3}, build snippets {build / queries.Count:F3}");
        }
    }
}
