using System.Text.Json.Serialization;

namespace Radar.Core.Measures.Timeline;

/// <summary>Why a question about the past cannot be answered: <see cref="Status"/> is 400 (bad
/// input, <see cref="Parameter"/> names it) or 404 (no such radar, edition, measure, or nothing
/// recorded that early); <see cref="Detail"/> is the sentence for the problem document.</summary>
public sealed record TimeProblem(int Status, string? Parameter, string Detail)
{
    public static TimeProblem BadRequest(string parameter, string detail) => new(400, parameter, detail);

    public static TimeProblem NotFound(string? parameter, string detail) => new(404, parameter, detail);
}

/// <summary>Either an answer or the problem.</summary>
public sealed record TimeResult<T>(T? Value, TimeProblem? Problem)
    where T : class;

internal static class TimeResult
{
    public static TimeResult<T> Ok<T>(T value)
        where T : class => new(value, null);

    public static TimeResult<T> Fail<T>(TimeProblem problem)
        where T : class => new(null, problem);
}

/// <summary>The moment an answer is about: a day (its end in Berlin), an edition, or now.</summary>
public sealed record TimePointView(DateOnly Date, DateTimeOffset At, string? Edition);

/// <summary><c>GET /api/radar?asOf=</c> / <c>?edition=</c>: the radar as it stood then.</summary>
/// <param name="Edition">The newest edition at that moment (null: none yet, or a radar without editions).</param>
/// <param name="Baseline">What <c>new</c>/<c>moved</c> compare with: the edition before
/// <see cref="Edition"/> (with only one edition, that one).</param>
/// <param name="Window">For a radar without editions: the window of days before the moment.</param>
public sealed record RadarAsOf(
    RadarDefinition Radar,
    TimePointView At,
    EditionRef? Edition,
    EditionRef? Baseline,
    RadarWindow? Window,
    IReadOnlyList<AsOfMeasure> Measures,
    IReadOnlyDictionary<string, Dictionary<string, int>> Counts,
    RadarTotals Totals,
    IReadOnlyList<EditionRef> Editions);

/// <summary>A measure as it stood; <see cref="Kpis"/> holds per KPI name the newest value whose
/// own <c>asOf</c> is not after the day asked about.</summary>
public sealed record AsOfMeasure(
    string Id,
    string Title,
    string Area,
    string? Field,
    string[] Departments,
    string Status,
    int? Progress,
    bool New,
    bool Moved,
    string? MovedFrom,
    IReadOnlyList<MeasureKpi> Kpis,
    string Url)
{
    /// <summary>Every field as it stood (the import format: for downloads of an edition).</summary>
    [JsonIgnore]
    public Measure Content { get; init; } = null!;
}

/// <summary><c>GET /api/radar/diff?from=&amp;to=</c>: what changed between two moments.</summary>
public sealed record RadarDiff(
    RadarDefinition Radar,
    TimePointView From,
    TimePointView To,
    IReadOnlyList<DiffMeasure> Added,
    IReadOnlyList<DiffMeasure> Removed,
    IReadOnlyList<DiffMeasure> Restored,
    IReadOnlyList<StatusMove> StatusMoved,
    IReadOnlyList<ProgressDelta> Progress,
    IReadOnlyList<KpiDelta> Kpis,
    DiffTotals Totals);

public sealed record DiffMeasure(string Id, string Title, string Area, string Status, string Url);

public sealed record StatusMove(string Id, string Title, string Area, string From, string To, string Url);

public sealed record ProgressDelta(string Id, string Title, int? From, int? To, int Delta, string Url);

/// <summary>One KPI of a measure on the radar at both moments, each value as of its moment.</summary>
public sealed record KpiDelta(
    string MeasureId, string MeasureTitle, string Name, string? Unit, double? From, DateOnly? FromAsOf, double? To, DateOnly? ToAsOf, double? Delta, string Url);

public sealed record DiffTotals(
    int MeasuresFrom,
    int MeasuresTo,
    int Added,
    int Removed,
    int Restored,
    int StatusMoved,
    int ProgressChanged,
    int KpisChanged,
    IReadOnlyDictionary<string, int> StatusesFrom,
    IReadOnlyDictionary<string, int> StatusesTo);

/// <summary><c>GET /api/measures/{id}?asOf=</c>: one measure as it stood, its changes until
/// then (newest first) and its status in every edition until then (oldest first).</summary>
public sealed record MeasureAsOf(
    RadarSummary Radar,
    TimePointView At,
    Measure Measure,
    IReadOnlyList<MeasureKpi> Kpis,
    RadarArea Area,
    RadarStatus Status,
    bool Removed,
    DateTimeOffset CreatedAt,
    string Url,
    IReadOnlyList<MeasureChange> Changes,
    IReadOnlyList<MeasureEditionStatus> Editions);

/// <summary>A measure in one edition: on the radar or not, with status and progress then.</summary>
public sealed record MeasureEditionStatus(string Edition, string Title, DateOnly Published, bool OnRadar, string? Status, int? Progress);

/// <summary><c>GET /api/radar/editions</c>.</summary>
public sealed record RadarEditions(RadarSummary Radar, IReadOnlyList<EditionListItem> Editions);

/// <summary>An edition as listed (newest first), with what it changed against the states before it.</summary>
public sealed record EditionListItem(
    string Id, string Title, DateOnly Published, DateTimeOffset At, string? Introduction, EditionCounts Counts, DateTimeOffset ImportedAt);

public static class EditionSummaryKinds
{
    public const string Edition = "edition";
    public const string FirstImport = "first-import";
}

/// <summary>
/// A bulk import as one event — an edition, or the radar's first import without one — for the
/// changes feeds (one entry of type <c>edition</c> rather than one per measure). <see cref="Id"/>
/// is <c>radar:edition</c> (<c>radar:yyyyMMddTHHmmssZ</c> for a first import); the per-measure
/// changes that belong to it carry <see cref="MeasureChange.EditionId"/> or
/// <see cref="MeasureChange.FirstImport"/>.
/// </summary>
public sealed record EditionSummary(
    string RadarId, string Id, string Kind, string? EditionId, string Title, DateTimeOffset At, DateOnly? Published, EditionCounts Counts);

/// <summary>The yearly report (<c>/bericht/{edition}</c>): the edition, the radar as of it, what
/// changed since the edition before, and per area the counts by status then and before.</summary>
public sealed record EditionReport(
    EditionListItem Edition,
    EditionRef? Previous,
    RadarAsOf Radar,
    RadarDiff? SincePrevious,
    IReadOnlyList<AreaReport> Areas);

public sealed record AreaReport(
    RadarArea Area,
    IReadOnlyDictionary<string, int> Statuses,
    IReadOnlyDictionary<string, int>? PreviousStatuses,
    IReadOnlyList<ReportMeasure> Measures);

/// <param name="NewAchievements">Achievements this edition lists that the one before did not (the year's successes).</param>
/// <param name="Changes">The measure's changes after the previous edition, up to this one, oldest first.</param>
public sealed record ReportMeasure(AsOfMeasure Measure, IReadOnlyList<string> NewAchievements, IReadOnlyList<MeasureChange> Changes);
