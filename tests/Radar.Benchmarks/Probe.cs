using System.Diagnostics;

namespace Radar.Benchmarks;

/// <summary>Where the time of a search goes, stage by stage (for tuning; prints to stdout).</summary>
public static class Probe
{
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
                manager.Search(query.ToRequest());
                full += watch.Elapsed.TotalMilliseconds;
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
