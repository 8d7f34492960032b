using System.Diagnostics;
using Radar.Core.Search;

namespace Radar.Benchmarks;

/// <summary>
/// The corpus, the query mix and both indexes for one corpus size, built once into
/// <c>$RADAR_BENCH_DIR</c> (default: the system temp folder) and reused by later runs.
/// </summary>
public sealed class Workbench : IDisposable
{
    public const string Version = "v3";

    private Workbench(int documents, RadarIndex lucene, Fts5Index fts5, IReadOnlyList<BenchQuery> queries, BuildFigures? built)
    {
        Documents = documents;
        Lucene = lucene;
        Fts5 = fts5;
        Queries = queries;
        Built = built;
    }

    public int Documents { get; }
    public RadarIndex Lucene { get; }
    public Fts5Index Fts5 { get; }
    public IReadOnlyList<BenchQuery> Queries { get; }

    /// <summary>Build figures, when this run built the indexes.</summary>
    public BuildFigures? Built { get; }

    public static string Root => Path.Combine(Environment.GetEnvironmentVariable("RADAR_BENCH_DIR") ?? Path.GetTempPath(), "radar-bench-" + Version);

    public static string LucenePath(int documents) => Path.Combine(Root, documents.ToString(System.Globalization.CultureInfo.InvariantCulture), "lucene");

    public static string Fts5Path(int documents) => Path.Combine(Root, documents.ToString(System.Globalization.CultureInfo.InvariantCulture), "fts5.db");

    public static Workbench Open(int documents, bool rebuild = false, Action<string>? log = null)
    {
        log ??= _ => { };
        var generator = new CorpusGenerator();
        var corpus = generator.Documents(documents).ToList();
        var queries = QueryMix.Create(generator, corpus.Take(2_000).ToList());
        BuildFigures? built = null;
        var lucenePath = LucenePath(documents);
        var fts5Path = Fts5Path(documents);
        var marker = Path.Combine(lucenePath, "built");
        if (rebuild || !File.Exists(marker) || !Fts5Index.Exists(fts5Path))
        {
            if (System.IO.Directory.Exists(lucenePath))
            {
                System.IO.Directory.Delete(lucenePath, recursive: true);
            }
            log($"building {documents:N0} documents …");
            GC.Collect();
            var watch = Stopwatch.StartNew();
            double luceneSeconds, mergeSeconds;
            using (var index = RadarIndex.Open(lucenePath))
            {
                index.Rebuild(corpus);
                luceneSeconds = watch.Elapsed.TotalSeconds;
                watch.Restart();
                index.Optimize();
                mergeSeconds = watch.Elapsed.TotalSeconds;
            }
            File.WriteAllText(marker, documents.ToString(System.Globalization.CultureInfo.InvariantCulture));
            GC.Collect();
            watch.Restart();
            Fts5Index.Build(fts5Path, corpus);
            var fts5Seconds = watch.Elapsed.TotalSeconds;
            built = new BuildFigures(documents, luceneSeconds, mergeSeconds, fts5Seconds, DirectorySize(lucenePath), new FileInfo(fts5Path).Length);
            log(built.ToString());
        }
        return new Workbench(documents, RadarIndex.Open(lucenePath), Fts5Index.Open(fts5Path), queries, built);
    }

    public static long DirectorySize(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(file => file.Length);

    public void Dispose()
    {
        Lucene.Dispose();
        Fts5.Dispose();
    }
}

public sealed record BuildFigures(int Documents, double LuceneSeconds, double LuceneMergeSeconds, double Fts5Seconds, long LuceneBytes, long Fts5Bytes)
{
    public double LuceneDocsPerSecond => Documents / LuceneSeconds;
    public double Fts5DocsPerSecond => Documents / Fts5Seconds;

    public override string ToString() =>
        $"built {Documents:N0}: Lucene {LuceneDocsPerSecond:N0} docs/s ({LuceneSeconds:N1} s + force-merge {LuceneMergeSeconds:N1} s, {LuceneBytes / 1048576.0:N0} MiB); " +
        $"FTS5 {Fts5DocsPerSecond:N0} docs/s ({Fts5Seconds:N1} s, {Fts5Bytes / 1048576.0:N0} MiB)";
}
