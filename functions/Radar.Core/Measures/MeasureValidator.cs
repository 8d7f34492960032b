namespace Radar.Core.Measures;

/// <summary>
/// The rules every record must keep, whatever format it came in: an id that is a slug, a title,
/// an area and a status the radar knows (by id or label), progress 0–100, absolute http(s) links,
/// an end not before the start, texts of a sane length. Readers hand in drafts; out come measures
/// or the reason a record is skipped.
/// </summary>
internal static class MeasureValidator
{
    public const int MaxIdLength = 100;
    public const int MaxTitleLength = 300;
    public const int MaxShortText = 2_000;
    public const int MaxDescription = 20_000;
    public const int MaxListItems = 100;

    public static Measure? Validate(MeasureDraft draft, RadarDefinition radar, out string? reason)
    {
        reason = Check(draft, radar, out var area, out var status);
        if (reason is not null)
        {
            return null;
        }

        return new Measure
        {
            Id = draft.Id!,
            Title = draft.Title!.Trim(),
            Summary = Text(draft.Summary),
            Description = Text(draft.Description),
            Area = area!.Id,
            Field = Text(draft.Field),
            Departments = List(draft.Departments),
            Status = status!.Id,
            Progress = draft.Progress,
            Goals = List(draft.Goals),
            Achievements = List(draft.Achievements),
            Highlights = List(draft.Highlights),
            Outlook = Text(draft.Outlook),
            Kpis = [.. draft.Kpis.Select(k => k with { Name = k.Name.Trim(), Unit = Text(k.Unit) })],
            Tags = List(draft.Tags),
            Links = [.. draft.Links.Select(l => new MeasureLink(Text(l.Title) ?? new Uri(l.Url).Host, l.Url.Trim()))],
            Start = draft.Start,
            End = draft.End,
            Updated = draft.Updated?.ToUniversalTime(),
        };
    }

    private static string? Check(MeasureDraft d, RadarDefinition radar, out RadarArea? area, out RadarStatus? status)
    {
        area = null;
        status = null;
        if (d.ReadError is not null)
        {
            return d.ReadError;
        }

        if (string.IsNullOrWhiteSpace(d.Id))
        {
            return "'id' is missing.";
        }

        if (!Slug.IsValid(d.Id, MaxIdLength))
        {
            return $"'id' '{d.Id}' is not a slug (lowercase letters, digits and single hyphens, at most {MaxIdLength} characters; e.g. '{Slug.From(d.Id, MaxIdLength)}').";
        }

        if (string.IsNullOrWhiteSpace(d.Title))
        {
            return "'title' is missing.";
        }

        if (d.Title.Trim().Length > MaxTitleLength)
        {
            return $"'title' is longer than {MaxTitleLength} characters.";
        }

        if (string.IsNullOrWhiteSpace(d.Area))
        {
            return "'area' is missing.";
        }

        area = radar.FindArea(d.Area);
        if (area is null)
        {
            return $"Unknown area '{d.Area}'; the radar has {string.Join(", ", radar.Areas.Select(a => $"'{a.Id}' ({a.Label})"))}.";
        }

        if (string.IsNullOrWhiteSpace(d.Status))
        {
            return "'status' is missing.";
        }

        status = radar.FindStatus(d.Status);
        if (status is null)
        {
            return $"Unknown status '{d.Status}'; the radar has {string.Join(", ", radar.Statuses.Select(s => $"'{s.Id}' ({s.Label})"))}.";
        }

        if (d.Progress is < 0 or > 100)
        {
            return $"'progress' is {d.Progress}; it must be from 0 to 100.";
        }

        if (d.Start is { } start && d.End is { } end && end < start)
        {
            return $"'end' ({end:yyyy-MM-dd}) is before 'start' ({start:yyyy-MM-dd}).";
        }

        foreach (var (name, value, max) in new[]
                 {
                     ("summary", d.Summary, MaxShortText), ("description", d.Description, MaxDescription),
                     ("field", d.Field, MaxTitleLength), ("outlook", d.Outlook, MaxShortText),
                 })
        {
            if (value is not null && value.Length > max)
            {
                return $"'{name}' is longer than {max} characters.";
            }
        }

        foreach (var (name, list) in new[]
                 {
                     ("departments", d.Departments), ("goals", d.Goals), ("achievements", d.Achievements),
                     ("highlights", d.Highlights), ("tags", d.Tags),
                 })
        {
            if (list.Count > MaxListItems)
            {
                return $"'{name}' has more than {MaxListItems} entries.";
            }

            if (list.FirstOrDefault(x => x.Length > MaxShortText) is not null)
            {
                return $"An entry of '{name}' is longer than {MaxShortText} characters.";
            }
        }

        if (d.Kpis.Count > MaxListItems * 10)
        {
            return $"'kpis' has more than {MaxListItems * 10} entries.";
        }

        foreach (var kpi in d.Kpis)
        {
            if (string.IsNullOrWhiteSpace(kpi.Name))
            {
                return "A KPI has no 'name'.";
            }

            if (!double.IsFinite(kpi.Value))
            {
                return $"KPI '{kpi.Name}' has no finite 'value'.";
            }
        }

        if (d.Links.Count > MaxListItems)
        {
            return $"'links' has more than {MaxListItems} entries.";
        }

        foreach (var link in d.Links)
        {
            if (!Uri.TryCreate(link.Url?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                return $"Link '{link.Title}' has no absolute http(s) URL ('{link.Url}').";
            }
        }

        return null;
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Trimmed, without empty entries and without repeats (first spelling wins).</summary>
    private static string[] List(IEnumerable<string> values) =>
        [.. values.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
}
