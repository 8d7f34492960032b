using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Radar.Benchmarks;

/// <summary>
/// Per-query latency distribution: runs the query mix several times against each engine, records
/// every query's time, and prints percentiles (overall and by query kind), build throughput,
/// sizes and memory as a Markdown table.
/// </summary>
public static class LatencyRunner
{
    public static string Run(IReadOnlyList<int> sizes, int rounds, bool rebuild)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; load average before: {LoadAverage()}");
        foreach (var size in sizes)
        {
            using var bench = Workbench.Open(size, rebuild, line => Console.Error.WriteLine(line));
            if (bench.Built is { } built)
            {
                report.AppendLine(built.ToString());
            }
            else
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"indexes reused from {Workbench.Root} (Lucene {Workbench.DirectorySize(Workbench.LucenePath(size)) / 1048576.0:N0} MiB, FTS5 {new FileInfo(Workbench.Fts5Path(size)).Length / 1048576.0:N0} MiB)");
            }
            var queries = bench.Queries;

            // Warm up: JIT, page cache, filter caches — as a serving instance is after its first minutes.
            for (var i = 0; i < 3; i++)
            {
                foreach (var query in queries)
                {
                    bench.Lucene.Search(query.ToRequest());
                    bench.Fts5.Search(query);
                }
            }
            GC.Collect();
            var lucene = new List<(BenchQuery Query, double Ms, int Total)>();
            double luceneAllocated = 0, lucenePause = 0;
            var luceneGcs = "";
            var fts5 = new List<(BenchQuery Query, double Ms, int Total)>();
            var watch = new Stopwatch();
            var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var pauseBefore = GC.GetTotalPauseDuration();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var query in queries)
                {
                    var request = query.ToRequest();
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    watch.Restart();
                    var response = bench.Lucene.Search(request);
                    watch.Stop();
                    luceneAllocated += GC.GetAllocatedBytesForCurrentThread() - allocated;
                    lucene.Add((query, watch.Elapsed.TotalMilliseconds, response.Total));
                }
                if (round == rounds - 1)
                {
                    luceneGcs = $"{GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3}";
                    lucenePause = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds;
                }
                foreach (var query in queries)
                {
                    watch.Restart();
                    var (total, _, _) = bench.Fts5.Search(query);
                    watch.Stop();
                    fts5.Add((query, watch.Elapsed.TotalMilliseconds, total));
                }
            }
            var suggest = new List<double>();
            foreach (var query in queries.Where(q => q.Kind == "word"))
            {
                for (var length = 1; length <= Math.Min(6, query.Text.Length); length++)
                {
                    watch.Restart();
                    bench.Lucene.Suggest(query.Text[..length]);
                    watch.Stop();
                    suggest.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            var process = Process.GetCurrentProcess();
            process.Refresh();
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"### {size:N0} documents, {queries.Count} queries × {rounds} rounds, top 20 + 5 facets + snippets");
            report.AppendLine();
            report.AppendLine("| queries | n | Lucene p50 | p95 | p99 | max | FTS5 p50 | p95 | p99 | max | FTS5/Lucene at p50 | at p99 | mean matches |");
            report.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            Row(report, "all", lucene, fts5);
            foreach (var kind in queries.Select(q => q.Kind).Distinct())
            {
                Row(report, kind, lucene.Where(l => l.Query.Kind == kind).ToList(), fts5.Where(f => f.Query.Kind == kind).ToList());
            }
            Row(report, "filtered", lucene.Where(l => l.Query.ToRequest() is var r && (r.Areas.Count + r.Statuses.Count + r.Types.Count > 0 || r.From is not null)).ToList(),
                fts5.Where(l => l.Query.ToRequest() is var r && (r.Areas.Count + r.Statuses.Count + r.Types.Count > 0 || r.From is not null)).ToList());
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"Suggest (1–6 letters typed, {suggest.Count} calls): p50 {Percentile(suggest, 50):F2} ms, p99 {Percentile(suggest, 99):F2} ms.");
            report.AppendLine(CultureInfo.InvariantCulture, $"Lucene allocations: {luceneAllocated / 1024.0 / lucene.Count:N0} KiB a query; garbage collections gen0/1/2 while Lucene ran (FTS5 rounds interleaved, except the last): {luceneGcs}, pauses {lucenePause:N0} ms in all.");
            report.AppendLine(CultureInfo.InvariantCulture, $"Memory after the run: working set {process.WorkingSet64 / 1048576.0:N0} MiB, managed heap {GC.GetTotalMemory(false) / 1048576.0:N0} MiB (both engines in one process; the indexes are memory-mapped).");
            report.AppendLine();
            report.AppendLine("Slowest Lucene queries:");
            report.AppendLine();
            foreach (var slow in lucene.GroupBy(l => l.Query).Select(g => (g.Key, Ms: g.Max(x => x.Ms), g.First().Total)).OrderByDescending(x => x.Ms).Take(8))
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"- {slow.Ms:F2} ms `{slow.Key}` ({slow.Key.Kind}, {slow.Total:N0} matches)");
            }
        }
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Load average after: {LoadAverage()}");
        return report.ToString();
    }

    private static void Row(StringBuilder report, string name, List<(BenchQuery Query, double Ms, int Total)> lucene, List<(BenchQuery Query, double Ms, int Total)> fts5)
    {
        if (lucene.Count == 0)
        {
            return;
        }
        var l = lucene.Select(x => x.Ms).ToList();
        var f = fts5.Select(x => x.Ms).ToList();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {lucene.Count} | {Percentile(l, 50):F2} | {Percentile(l, 95):F2} | {Percentile(l, 99):F2} | {l.Max():F2} | {Percentile(f, 50):F2} | {Percentile(f, 95):F2} | {Percentile(f, 99):F2} | {f.Max():F2} | {Percentile(f, 50) / Percentile(l, 50):F1}× | {Percentile(f, 99) / Percentile(l, 99):F1}× | {lucene.Average(x => x.Total):N0} |");
    }

    public static double Percentile(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
