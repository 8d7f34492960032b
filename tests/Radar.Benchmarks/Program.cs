using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Radar.Benchmarks;

// dotnet run -c Release --project tests/Radar.Benchmarks -- latency [--docs 10000,100000] [--rounds 5] [--rebuild] [--out file.md]
// dotnet run -c Release --project tests/Radar.Benchmarks -- bdn [BenchmarkDotNet arguments]
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
    default:
        Console.Error.WriteLine("usage: latency [--docs 10000,100000] [--rounds 5] [--rebuild] [--out file.md] | bdn [BenchmarkDotNet arguments]");
        return 2;
}
