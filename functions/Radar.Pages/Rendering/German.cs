using System.Globalization;
using Radar.Core.Vocabulary;

namespace Radar.Pages.Rendering;

/// <summary>Dates and numbers as the pages write them. The words — field names, area and status
/// labels, what a change did — are the vocabulary's (<c>Radar.Core.Vocabulary</c>), shared with
/// the feeds and the search index; the German formats come from there too.</summary>
public static class German
{
    public static CultureInfo Culture => GermanFormat.Culture;

    /// <summary>The city's clock: dates are shown as people there saw them happen.</summary>
    public static TimeZoneInfo TimeZone => GermanFormat.TimeZone;

    /// <summary>"23. Juli 2020".</summary>
    public static string Date(DateTimeOffset at) => GermanFormat.Date(at);

    /// <summary>"23. Juli 2020, 12:00 Uhr".</summary>
    public static string DateTime(DateTimeOffset at) => GermanFormat.DateTime(at);

    public static string Date(DateOnly date) => GermanFormat.Date(date);

    /// <summary>"1.250" or "3,5".</summary>
    public static string Number(double value) => GermanFormat.Number(value);

    /// <summary>ISO 8601 for <c>&lt;time datetime&gt;</c>.</summary>
    public static string MachineTime(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string MachineDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
