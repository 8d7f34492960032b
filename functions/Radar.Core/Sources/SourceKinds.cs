namespace Radar.Core.Sources;

/// <summary>What a source delivers. The kind decides which ingest reads it.</summary>
public static class SourceKinds
{
    public const string MeasuresJson = "measures-json";
    public const string MeasuresCsv = "measures-csv";
    public const string News = "news";

    public static IReadOnlyList<string> All { get; } = [MeasuresJson, MeasuresCsv, News];

    public static bool IsMeasures(string kind) => kind is MeasuresJson or MeasuresCsv;

    public static bool IsKnown(string? kind) => kind is MeasuresJson or MeasuresCsv or News;
}

/// <summary>Where a source came from. Only sources from settings may read local files or reach
/// private networks: they were written by whoever runs the deployment.</summary>
public static class SourceOrigins
{
    public const string Settings = "settings";
    public const string Api = "api";
}
