using System.Globalization;

namespace Radar.Core.Vocabulary;

/// <summary>Dates and numbers as German readers write them, in the city's time zone.</summary>
public static class GermanFormat
{
    public static CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>The city's clock: dates are shown as people there saw them happen.</summary>
    public static TimeZoneInfo TimeZone { get; } = FindTimeZone();

    /// <summary>"23. Juli 2020".</summary>
    public static string Date(DateTimeOffset at) => Local(at).ToString("d. MMMM yyyy", Culture);

    /// <summary>"23. Juli 2020, 12:00 Uhr".</summary>
    public static string DateTime(DateTimeOffset at) => Local(at).ToString("d. MMMM yyyy, HH:mm 'Uhr'", Culture);

    public static string Date(DateOnly date) => date.ToString("d. MMMM yyyy", Culture);

    /// <summary>"31.12.2027": a day in a line of text.</summary>
    public static string ShortDate(DateOnly date) => date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    /// <summary>"1.250" or "3,5".</summary>
    public static string Number(double value) =>
        value == Math.Round(value) ? value.ToString("#,0", Culture) : value.ToString("#,0.##", Culture);

    private static DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TimeZone);

    private static TimeZoneInfo FindTimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
