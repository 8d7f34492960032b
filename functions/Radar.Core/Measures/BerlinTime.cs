using System.Globalization;
using System.Text.RegularExpressions;

namespace Radar.Core.Measures;

/// <summary>
/// Dates as the city writes them. A date <c>YYYY-MM-DD</c> (a publication date, an <c>asOf</c>
/// parameter) means the end of that day in Europe/Berlin: an edition published on 2024-07-18 is
/// the state of that whole day, and "as of 2024-07-18" includes it.
/// </summary>
public static partial class BerlinTime
{
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    /// <summary>The last instant (one tick before midnight) of <paramref name="date"/> in Berlin, in UTC.</summary>
    public static DateTimeOffset EndOfDay(DateOnly date)
    {
        var nextMidnight = date.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var utc = TimeZoneInfo.ConvertTimeToUtc(nextMidnight, Zone);
        return new DateTimeOffset(utc.Ticks - 1, TimeSpan.Zero);
    }

    /// <summary>The calendar date in Berlin at <paramref name="at"/>.</summary>
    public static DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    /// <summary>Strictly <c>YYYY-MM-DD</c>, a real calendar date.</summary>
    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>Text someone meant as a date (digits and dashes, year first), valid or not: tells a
    /// mistyped date ("2024-13-01") from an edition id ("2024").</summary>
    public static bool LooksLikeDate(string? text) => text is not null && DateLike().IsMatch(text);

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{2,4}-\d{1,2}-\d{1,2}$")]
    private static partial Regex DateLike();
}
