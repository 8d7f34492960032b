using Microsoft.AspNetCore.Http;
using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;
using Radar.Pages.Picture;

namespace Radar.Pages.Models;

/// <summary>One line of "Letzte Änderungen".</summary>
public sealed record ChangeLine(DateTimeOffset At, string Text, string Url, string Kind);

/// <summary>The home page: the filtered radar, its picture, the latest changes, what to filter by.</summary>
public sealed record HomePageModel(
    FilteredRadar Radar,
    string PictureMarkup,
    IReadOnlyList<ChangeLine> Changes,
    IReadOnlyList<string> Departments,
    HomeLinks Links,
    IReadOnlyList<string> UnknownFilters)
{
    /// <summary>The past edition shown; null for the current state.</summary>
    public ShownEdition? Shown { get; init; }

    /// <summary>The radar's editions, newest first (the picker; empty: no picker).</summary>
    public IReadOnlyList<EditionRef> Editions { get; init; } = [];
}

/// <summary>URLs of the home page that keep the current radar and filters but change one of them.</summary>
/// <param name="Edition">The edition shown (null: the current state); every filter link keeps it.</param>
public sealed record HomeLinks(string? RadarId, RadarFilter Filter, string? Edition = null)
{
    public string Home(IEnumerable<string>? areas = null, IEnumerable<string>? statuses = null, IEnumerable<string>? departments = null, RadarGrouping? grouping = null) =>
        "/" + Query(areas ?? Filter.Areas, statuses ?? Filter.Statuses, departments ?? Filter.Departments, grouping ?? Filter.Grouping);

    public string WithArea(string? area) => Home(areas: area is null ? [] : [area]);

    public string WithStatus(string? status) => Home(statuses: status is null ? [] : [status]);

    public string WithGrouping(RadarGrouping grouping) => Home(grouping: grouping);

    public string Reset => Home([], [], [], RadarGrouping.Area);

    /// <summary>The same picture as an image of its own.</summary>
    public string Svg => "/api/radar.svg" + Query(Filter.Areas, Filter.Statuses, Filter.Departments, Filter.Grouping);

    private string Query(IEnumerable<string> areas, IEnumerable<string> statuses, IEnumerable<string> departments, RadarGrouping grouping)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        if (RadarId is not null)
        {
            pairs.Add(new("radar", RadarId));
        }

        if (Edition is not null)
        {
            pairs.Add(new("edition", Edition));
        }

        pairs.AddRange(areas.Select(a => new KeyValuePair<string, string?>("area", a)));
        pairs.AddRange(statuses.Select(s => new KeyValuePair<string, string?>("status", s)));
        pairs.AddRange(departments.Select(d => new KeyValuePair<string, string?>("department", d)));
        if (grouping == RadarGrouping.Field)
        {
            pairs.Add(new("group", "field"));
        }

        return QueryString.Create(pairs).ToUriComponent();
    }
}

/// <summary>A key figure: one value, or a series over dates (drawn as a chart).</summary>
public sealed record KpiView(string Name, string? Unit, IReadOnlyList<MeasureKpi> Values, string? ChartMarkup)
{
    public MeasureKpi Latest => Values[^1];
}

/// <summary>One entry of a measure's timeline.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Kind, string Text, IReadOnlyList<FieldChangeView> Fields);

public sealed record FieldChangeView(string Name, string Old, string New);

/// <summary>The measure page.</summary>
public sealed record MeasurePageModel(
    MeasureDetail Detail,
    RadarDefinition? Radar,
    string DescriptionHtml,
    IReadOnlyList<KpiView> Kpis,
    IReadOnlyList<TimelineEntry> Timeline,
    string AbsoluteUrl,
    string MailtoUrl,
    string FeedUrl,
    string HomeUrl,
    string OEmbedUrl)
{
    public Measure Measure => Detail.Measure;

    /// <summary>The measure in every edition of its radar, oldest first (empty: no editions).</summary>
    public IReadOnlyList<MeasureEditionStatus> Editions { get; init; } = [];
}

/// <summary>An error page (404, and the 400 and 405 pages): what went wrong, and where to go instead.</summary>
public sealed record ErrorPageModel(string Heading, string Message, int Status = StatusCodes.Status404NotFound);
