namespace Radar.Core.Measures.Timeline;

/// <summary>
/// Reads the time parameters of the public routes against a radar's timeline: a date
/// (<c>YYYY-MM-DD</c>, the end of that day in Berlin), an edition id, or either. Bad input is a
/// 400 naming the parameter; an unknown edition or a day before anything was recorded a 404.
/// </summary>
public static class TimeArguments
{
    public static (TimePoint? Point, TimeProblem? Problem) Date(RadarTimeline timeline, string parameter, string value, DateOnly today)
    {
        if (!BerlinTime.TryParseDate(value, out var date))
        {
            return (null, TimeProblem.BadRequest(parameter,
                $"'{parameter}' must be a date YYYY-MM-DD (e.g. {BerlinTime.Format(today)}), not '{Shorten(value)}'."));
        }

        if (date > today)
        {
            return (null, TimeProblem.BadRequest(parameter,
                $"'{parameter}' is {BerlinTime.Format(date)}, in the future (today is {BerlinTime.Format(today)} in Berlin)."));
        }

        if (timeline.FirstDate is not { } first)
        {
            return (null, TimeProblem.NotFound(parameter, $"Radar '{timeline.RadarId}' has nothing recorded yet."));
        }

        if (date < first)
        {
            var edition = timeline.Editions.Count > 0 ? timeline.Editions[0] : null;
            var why = edition is not null && edition.Published == first ? $"its first edition, '{edition.Id}'" : "its first recorded change";
            return (null, TimeProblem.NotFound(parameter,
                $"Radar '{timeline.RadarId}' has no recorded state before {BerlinTime.Format(first)} ({why}); '{parameter}' is {BerlinTime.Format(date)}."));
        }

        return (TimePoint.OfDate(date), null);
    }

    public static (TimePoint? Point, TimeProblem? Problem) Edition(RadarTimeline timeline, string parameter, string value)
    {
        if (!Slug.IsValid(value, EditionInfo.MaxIdLength))
        {
            return (null, TimeProblem.BadRequest(parameter,
                $"'{parameter}' must be an edition id such as '2024' (lowercase letters, digits, hyphens), not '{Shorten(value)}'."));
        }

        if (timeline.FindEdition(value) is not { } edition)
        {
            var known = timeline.Editions.Count == 0 ? "it has none" : "editions: " + string.Join(", ", timeline.Editions.Select(e => e.Id).Reverse());
            return (null, TimeProblem.NotFound(parameter, $"Radar '{timeline.RadarId}' has no edition '{value}' ({known})."));
        }

        return (TimePoint.Of(edition), null);
    }

    /// <summary>A date when it looks like one (digits and dashes), else an edition id.</summary>
    public static (TimePoint? Point, TimeProblem? Problem) DateOrEdition(RadarTimeline timeline, string parameter, string value, DateOnly today)
    {
        if (BerlinTime.LooksLikeDate(value))
        {
            return Date(timeline, parameter, value, today);
        }

        if (!Slug.IsValid(value, EditionInfo.MaxIdLength))
        {
            return (null, TimeProblem.BadRequest(parameter,
                $"'{parameter}' must be a date YYYY-MM-DD or an edition id such as '2024', not '{Shorten(value)}'."));
        }

        return Edition(timeline, parameter, value);
    }

    /// <summary>Whether <paramref name="a"/> is after <paramref name="b"/> in the timeline.</summary>
    public static bool After(TimePoint a, TimePoint b) =>
        a.At > b.At || (a.At == b.At && a.EditionId is not null && b.EditionId is not null && string.CompareOrdinal(a.EditionId, b.EditionId) > 0);

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
