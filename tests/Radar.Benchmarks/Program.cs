using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Radar.Benchmarks;

// dotnet run -c Release --project tests/Radar.Benchmarks -- latency [--docs 10000,100000] [--rounds 5] [--rebuild] [--out file.md]
// dotnet run -c Release --project tests/Radar.Benchmarks -- bdn [BenchmarkDotNet arguments]
// dotnet run -c Release --project tests/Radar.Benchmarks -- websub [--subscribers 1000]
// dotnet run -c Release --project tests/Radar.Benchmarks -- probe | probe-indexing | probe-open [--docs N] (stage timings, see Probe)
var mode = args.Length > 0 ? args[0] : "latency";
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

switch (mode)
{
    case "latency":
        {
            var sizes = (Option("--docs") ?? "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
            var rounds = int.Parse(Option("--rounds") ?? "5", CultureInfo.InvariantCulture);
            var report = LatencyRunner.Run(sizes, rounds, rebuild: args.Contains("--rebuild"));
            Console.WriteLine(report);
            if (Option("--out") is { } output)
            {
                File.WriteAllText(output, report);
            }
            return 0;
        }
    case "bdn":
        {
            var config = DefaultConfig.Instance.AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithId("search"));
            BenchmarkSwitcher.FromAssembly(typeof(SearchBenchmarks).Assembly).Run(args.Skip(1).ToArray(), config);
            return 0;
        }
    case "probe-indexing":
        Probe.Indexing(int.Parse(Option("--docs") ?? "10000", CultureInfo.InvariantCulture));
        return 0;
    case "probe-open":
        Probe.Open(int.Parse(Option("--docs") ?? "100000", CultureInfo.InvariantCulture));
        return 0;
    case "probe":
        Probe.Run(int.Parse(Option("--docs") ?? "10000", CultureInfo.InvariantCulture), Option("--kind") ?? "word");
        return 0;
    case "websub":
        {
            var report = await WebSubFanOut.RunAsync(int.Parse(Option("--subscribers") ?? "1000", CultureInfo.InvariantCulture));
            Console.WriteLine(report);
            return 0;
        }
    case "--help" or "-h" or "help":
        Console.WriteLine(Usage);
        return 0;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}

internal static partial class Program
{
    private const string Usage = """
        usage: Radar.Benchmarks <mode> [options]
          latency [--docs 10000,100000] [--rounds 5] [--rebuild] [--out file.md]   latency distribution, Lucene.Net vs SQLite FTS5
          bdn [BenchmarkDotNet arguments]                                          BenchmarkDotNet (mean time, allocations)
          probe [--docs 10000] [--kind word|phrase|prefix|exclusion|all]           where a search's time goes, stage by stage
          probe-indexing [--docs 10000]                                            where indexing's time goes
          probe-open [--docs 100000]                                               opening an index and the first answers
          websub [--subscribers 1000]                                              WebSub fan-out: ingest end to last delivery
        """;
}
