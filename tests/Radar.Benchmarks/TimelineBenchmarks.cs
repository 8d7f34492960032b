using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;

namespace Radar.Benchmarks;

/// <summary>
/// The radar in time for a big radar: 500 measures × 10 yearly editions (plus an ingest's
/// observations after the newest), in memory as <see cref="RadarTimeline"/> — what the time
/// routes compute once the timeline is loaded (the loader keeps it per radar version). As of an
/// edition, as of a date, now; the difference between the first and the last edition; and
/// building the timeline from its states (what a load costs after the storage read).
/// <code>dotnet run -c Release --project tests/Radar.Benchmarks -- bdn --filter '*TimelineBenchmarks*'</code>
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class TimelineBenchmarks
{
    public const int MeasureCount = 500;
    public const int EditionCount = 10;

    private RadarTimeline _timeline = null!;
    private List<Edition> _editions = null!;
    private List<TimelineState> _states = null!;
    private RadarDefinition _radar = null!;
    private TimePoint _middle = null!;
    private TimePoint _first = null!;
    private TimePoint _last = null!;
    private TimePoint _date = null!;
    private readonly DateTimeOffset _now = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        (_radar, _editions, _states) = TimelineCorpus.Create(MeasureCount, EditionCount, seed: 42);
        _timeline = RadarTimeline.Build("benchmark", _radar, _editions, _states);
        _first = TimePoint.Of(_timeline.Editions[0]);
        _middle = TimePoint.Of(_timeline.Editions[EditionCount / 2]);
        _last = TimePoint.Of(_timeline.Editions[^1]);
        _date = TimePoint.OfDate(_timeline.Editions[6].Published.AddDays(100));
    }

    [Benchmark]
    public int AsOfEdition() => RadarTime.AsOf(_timeline, _middle, _now, 90, Url).Measures.Count;

    [Benchmark]
    public int AsOfDate() => RadarTime.AsOf(_timeline, _date, _now, 90, Url).Measures.Count;

    [Benchmark]
    public int AsOfNow() => RadarTime.AsOf(_timeline, TimePoint.Latest, _now, 90, Url).Measures.Count;

    [Benchmark]
    public int DiffFirstToLast() => RadarTime.Diff(_timeline, _first, _last, _now, Url).Totals.StatusMoved;

    [Benchmark]
    public int DiffDateToNow() => RadarTime.Diff(_timeline, _date, TimePoint.Latest, _now, Url).Totals.StatusMoved;

    [Benchmark]
    public int Build() => RadarTimeline.Build("benchmark", _radar, _editions, _states).Measures.Count;

    private static string Url(string id) => "/massnahmen/" + id;

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95, new P99Column());
    }

    /// <summary>BenchmarkDotNet has columns up to P95; the 99th percentile of the iterations.</summary>
    private sealed class P99Column : IColumn
    {
        public string Id => "P99";

        public string ColumnName => "P99";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Statistics;

        public int PriorityInCategory => 10;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Time;

        public string Legend => "99th percentile of the iteration times";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var statistics = summary[benchmarkCase]?.ResultStatistics;
            if (statistics is null)
            {
                return "NA";
            }

            var nanoseconds = statistics.Percentiles.Percentile(99);
            return nanoseconds >= 1_000_000
                ? (nanoseconds / 1_000_000).ToString("N3", style.CultureInfo) + " ms"
                : (nanoseconds / 1_000).ToString("N3", style.CultureInfo) + " μs";
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}

/// <summary>A generated radar with a believable evolution: each year some measures come, some go,
/// statuses move inward, progress grows, a KPI series gets a value per year.</summary>
internal static class TimelineCorpus
{
    private static readonly string[] Statuses = ["umgesetzt", "in-umsetzung", "in-planung", "idee"];
    private static readonly string[] Areas = ["stadtgesellschaft", "stadtverwaltung", "infrastruktur"];

    public static (RadarDefinition Radar, List<Edition> Editions, List<TimelineState> States) Create(int measures, int editions, int seed)
    {
        var random = new Random(seed);
        var radar = new RadarDefinition
        {
            Id = "benchmark",
            Title = "Benchmark-Radar",
            Areas = [.. Areas.Select(a => new RadarArea(a, a))],
            Statuses = [.. Statuses.Select(s => new RadarStatus(s, s))],
        };
        // Per measure: the year it comes (most in the first edition), the year it goes (some), a start status.
        var plan = Enumerable.Range(0, measures).Select(i => (
            Id: $"massnahme-{i:D4}",
            From: random.NextDouble() < 0.6 ? 0 : random.Next(editions),
            Until: random.NextDouble() < 0.15 ? random.Next(editions) + 1 : editions,
            Status: 3 - random.Next(2),
            Area: Areas[i % Areas.Length])).ToList();
        var states = new List<TimelineState>();
        var list = new List<Edition>();
        var status = plan.ToDictionary(p => p.Id, p => p.Status);
        for (var e = 0; e < editions; e++)
        {
            var year = 2015 + e;
            var published = new DateOnly(year, 7, 15);
            var members = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in plan.Where(p => p.From <= e && e < p.Until))
            {
                if (e > p.From && status[p.Id] > 0 && random.NextDouble() < 0.3)
                {
                    status[p.Id]--;
                }

                var measure = new Measure
                {
                    Id = p.Id,
                    Title = "Maßnahme " + p.Id,
                    Summary = "Eine Maßnahme, wie sie in einem Digitalisierungsbericht steht, mit einer Zusammenfassung von ein paar Sätzen.",
                    Area = p.Area,
                    Status = Statuses[status[p.Id]],
                    Progress = Math.Min(100, 10 * (e - p.From + 1)),
                    Achievements = [.. Enumerable.Range(0, e - p.From).Select(k => $"Erfolg im Jahr {2015 + p.From + k}")],
                    Kpis = [.. Enumerable.Range(p.From, e - p.From + 1).Select(k => new MeasureKpi("Nutzungen", 1000 * (k + 1), "Stück", new DateOnly(2015 + k, 6, 30)))],
                    Tags = ["Benchmark"],
                };
                members[p.Id] = measure.Status;
                states.Add(new TimelineState
                {
                    MeasureId = p.Id,
                    At = BerlinTime.EndOfDay(published),
                    Origin = TimelineState.EditionOrigin(year.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    Measure = measure,
                    SourceId = "benchmark",
                });
            }

            list.Add(new Edition
            {
                RadarId = "benchmark",
                Id = year.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Title = $"Bericht {year}",
                Published = published,
                ContentHash = "",
                Members = members,
                Definition = radar,
                ImportedAt = DateTimeOffset.UnixEpoch,
            });
        }

        // An ingest after the newest edition saw a few measures change.
        var seen = BerlinTime.EndOfDay(list[^1].Published).AddDays(30);
        foreach (var last in states.Where(s => s.EditionId == list[^1].Id).Take(50).ToList())
        {
            states.Add(last with
            {
                At = seen,
                Origin = TimelineState.ObservationOrigin(seen),
                Measure = last.Measure! with { Progress = 100, Status = "umgesetzt" },
            });
        }

        return (radar, list, states);
    }
}
