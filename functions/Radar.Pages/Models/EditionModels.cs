using Radar.Core.Measures;
using Radar.Core.Measures.Timeline;

namespace Radar.Pages.Models;

/// <summary>The home page shows a past edition: which one, and what new/moved compare with.</summary>
public sealed record ShownEdition(EditionRef Edition, EditionRef? Baseline);

/// <summary>The addresses of the time pages, so every page writes them alike.</summary>
public static class EditionLinks
{
    /// <summary>The radar page as of <paramref name="edition"/> (null: now).</summary>
    public static string Home(string? radarId, string? edition)
    {
        var pairs = new List<string>();
        if (radarId is not null)
        {
            pairs.Add("radar=" + Uri.EscapeDataString(radarId));
        }

        if (edition is not null)
        {
            pairs.Add("edition=" + Uri.EscapeDataString(edition));
        }

        return "/" + (pairs.Count == 0 ? "" : "?" + string.Join('&', pairs));
    }

    public static string Report(string edition, string? radarId = null) =>
        "/bericht/" + Uri.EscapeDataString(edition) + (radarId is null ? "" : "?radar=" + Uri.EscapeDataString(radarId));

    /// <summary>What <c>bis</c> takes for the current state (the newest edition and every change since).</summary>
    public const string Now = "heute";

    /// <summary><c>/vergleich?von=…&amp;bis=…</c>.</summary>
    public static string Compare(string from, string to, string? radarId = null) =>
        "/vergleich?von=" + Uri.EscapeDataString(from) + "&bis=" + Uri.EscapeDataString(to)
        + (radarId is null ? "" : "&radar=" + Uri.EscapeDataString(radarId));

    /// <summary>The open-data downloads of an edition (served by the open-data routes).</summary>
    public static string Download(string radarId, string edition, string extension) =>
        $"/api/opendata/{Uri.EscapeDataString(radarId)}/{Uri.EscapeDataString(edition)}.{extension}";
}

/// <summary><c>/bericht/{edition}</c>: the report, the editions around it, and the site's origin
/// (links are written absolute, so a printed report spells out where they lead).</summary>
public sealed record ReportPageModel(EditionReport Report, EditionRef? Next, string Origin, string? RadarIdForLinks)
{
    public RadarDefinition Radar => Report.Radar.Radar;

    public EditionListItem Edition => Report.Edition;

    public string Absolute(string path) => Origin.TrimEnd('/') + path;

    /// <summary>The anchor of an area's section.</summary>
    public static string AreaAnchor(string areaId) => "bereich-" + areaId;
}

/// <summary>One end of a comparison as the form offers it.</summary>
public sealed record CompareChoice(string Value, string Label);

/// <summary><c>/vergleich</c>: the difference, the form's choices and what it holds.</summary>
public sealed record ComparePageModel(
    RadarSummary Radar,
    RadarDiff Diff,
    string? From,
    string? To,
    IReadOnlyList<CompareChoice> Choices,
    string FromLabel,
    string ToLabel,
    string? RadarIdForLinks);
