using BenchmarkDotNet.Attributes;

namespace Radar.Benchmarks;

/// <summary>
/// BenchmarkDotNet: the mean time of one query of the mix (top 20, facets, snippets) for Lucene
/// and FTS5 at each corpus size, and of one suggest call. Indexes come from <see cref="Workbench"/>.
/// </summary>
[MemoryDiagnoser]
public class SearchBenchmarks
{
    private Workbench _bench = null!;

    [Params(10_000, 100_000)]
    public int Documents { get; set; }

    [GlobalSetup]
    public void Setup() => _bench = Workbench.Open(Documents);

    [GlobalCleanup]
    public void Cleanup() => _bench.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = 200)]
    public int Fts5()
    {
        var total = 0;
        foreach (var query in _bench.Queries)
        {
            total += _bench.Fts5.Search(query).Total;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = 200)]
    public int Lucene()
    {
        var total = 0;
        foreach (var query in _bench.Queries)
        {
            total += _bench.Lucene.Search(query.ToRequest()).Total;
        }
        return total;
    }

    [Benchmark(OperationsPerInvoke = 200)]
    public int LuceneSuggest()
    {
        var count = 0;
        foreach (var query in _bench.Queries)
        {
            count += _bench.Lucene.Suggest(query.Text[..Math.Min(3, query.Text.Length)]).Suggestions.Count;
        }
        return count;
    }
}
