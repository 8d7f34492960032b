using System.Globalization;
using System.Text.RegularExpressions;

namespace Radar.Core.News.Normalising;

/// <summary>
/// Reads the dates feeds write, independent of the machine's culture: RFC 822/2822 (with the
/// US zones of the RFC, European names — CET/CEST, MEZ/MESZ, WET/WEST, EET/EEST, BST — numeric
/// offsets with or without a colon, <c>GMT+1</c>, German month and day names), ISO 8601 /
/// RFC 3339, and German numeric dates (<c>23.07.2020 10:00</c>, read as Berlin time). A date without
/// a zone is taken as UTC. Anything else is not a date: null, never a guess.
/// </summary>
public static partial class FeedDates
{
    private static readonly Dictionary<string, int> Months = new(StringComparer.OrdinalIgnoreCase)
    {
        ["jan"] = 1,
        ["feb"] = 2,
        ["mar"] = 3,
        ["mär"] = 3,
        ["mrz"] = 3,
        ["apr"] = 4,
        ["may"] = 5,
        ["mai"] = 5,
        ["jun"] = 6,
        ["jul"] = 7,
        ["aug"] = 8,
        ["sep"] = 9,
        ["oct"] = 10,
        ["okt"] = 10,
        ["nov"] = 11,
        ["dec"] = 12,
        ["dez"] = 12,
    };

    // Hours east of UTC. RFC 822 zones, plus the European names German feeds use. Military
    // letters other than Z carry no reliable meaning (RFC 2822 §4.3): they count as no zone.
    private static readonly Dictionary<string, int> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0,
        ["UTC"] = 0,
        ["GMT"] = 0,
        ["Z"] = 0,
        ["WET"] = 0,
        ["WEST"] = 1,
        ["BST"] = 1,
        ["CET"] = 1,
        ["MEZ"] = 1,
        ["MET"] = 1,
        ["CEST"] = 2,
        ["MESZ"] = 2,
        ["MEST"] = 2,
        ["EET"] = 2,
        ["OEZ"] = 2,
        ["EEST"] = 3,
        ["OESZ"] = 3,
        ["EST"] = -5,
        ["EDT"] = -4,
        ["CST"] = -6,
        ["CDT"] = -5,
        ["MST"] = -7,
        ["MDT"] = -6,
        ["PST"] = -8,
        ["PDT"] = -7,
    };

    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 100)
        {
            return null;
        }

        var value = WhitespaceRegex().Replace(text.Trim(), " ");
        return ParseIso(value) ?? ParseRfc822(value) ?? ParseGermanNumeric(value);
    }

    private static DateTimeOffset? ParseIso(string value)
    {
        var m = IsoRegex().Match(value);
        if (!m.Success)
        {
            return null;
        }

        var fraction = m.Groups["f"].Success ? m.Groups["f"].Value : "";
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0')[..7], CultureInfo.InvariantCulture);
        var offset = m.Groups["zone"].Success ? NumericOrNamedOffset(m.Groups["zone"].Value) : TimeSpan.Zero;
        if (offset is null)
        {
            return null;
        }

        return Create(
            Int(m, "y"), Int(m, "mo"), Int(m, "d"),
            m.Groups["h"].Success ? Int(m, "h") : 0,
            m.Groups["mi"].Success ? Int(m, "mi") : 0,
            m.Groups["s"].Success ? Int(m, "s") : 0,
            offset.Value)?.AddTicks(ticks);
    }

    private static DateTimeOffset? ParseRfc822(string value)
    {
        var m = Rfc822Regex().Match(value);
        if (!m.Success)
        {
            return null;
        }

        var monthName = m.Groups["mon"].Value;
        if (!Months.TryGetValue(monthName[..3], out var month))
        {
            return null;
        }

        var year = Int(m, "y");
        if (m.Groups["y"].Value.Length == 2)
        {
            year += year < 50 ? 2000 : 1900; // RFC 2822 §4.3
        }
        else if (m.Groups["y"].Value.Length == 3)
        {
            year += 1900;
        }

        var offset = TimeSpan.Zero;
        if (m.Groups["zone"].Success)
        {
            var zone = m.Groups["zone"].Value;
            var known = NumericOrNamedOffset(zone);
            if (known is null && zone.AsSpan().IndexOfAny('+', '-') >= 0)
            {
                return null; // an offset out of range is a broken date, not UTC
            }

            offset = known ?? TimeSpan.Zero; // an unknown zone name (military letters): UTC
        }

        return Create(year, month, Int(m, "d"), Int(m, "h"), Int(m, "mi"), m.Groups["s"].Success ? Int(m, "s") : 0, offset);
    }

    private static DateTimeOffset? ParseGermanNumeric(string value)
    {
        var m = GermanNumericRegex().Match(value);
        if (!m.Success)
        {
            return null;
        }

        var year = Int(m, "y");
        if (m.Groups["y"].Value.Length == 2)
        {
            year += 2000;
        }

        DateTime local;
        try
        {
            local = new DateTime(year, Int(m, "mo"), Int(m, "d"),
                m.Groups["h"].Success ? Int(m, "h") : 0,
                m.Groups["mi"].Success ? Int(m, "mi") : 0,
                m.Groups["s"].Success ? Int(m, "s") : 0, DateTimeKind.Unspecified);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }

        var offset = m.Groups["zone"].Success ? NumericOrNamedOffset(m.Groups["zone"].Value) : null;
        return new DateTimeOffset(local, offset ?? CentralEuropeanTime.OffsetAt(local)).ToUniversalTime();
    }

    private static TimeSpan? NumericOrNamedOffset(string zone)
    {
        zone = zone.Replace(" ", "", StringComparison.Ordinal);
        if (Zones.TryGetValue(zone, out var hours))
        {
            return TimeSpan.FromHours(hours);
        }

        var m = OffsetRegex().Match(zone);
        if (!m.Success)
        {
            return null;
        }

        var h = Int(m, "h");
        var minutes = m.Groups["m"].Success ? Int(m, "m") : 0;
        if (h > 14 || minutes > 59)
        {
            return null;
        }

        var offset = new TimeSpan(h, minutes, 0);
        return m.Groups["sign"].Value == "-" ? -offset : offset;
    }

    private static DateTimeOffset? Create(int year, int month, int day, int hour, int minute, int second, TimeSpan offset)
    {
        try
        {
            if (second == 60)
            {
                second = 59; // a leap second is not worth refusing a date for
            }

            return new DateTimeOffset(year, month, day, hour, minute, second, offset).ToUniversalTime();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();

    [GeneratedRegex(
        @"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})(?:[T ](?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:[.,](?<f>\d{1,9}))?)? ?(?<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex IsoRegex();

    [GeneratedRegex(
        @"^(?:[\p{L}]{2,12}\.?,? ?)?(?<d>\d{1,2})\.? ?(?<mon>[\p{L}]{3,9})\.? ?(?<y>\d{2,4}),? (?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:\.\d{1,7})?)?(?: ?(?<zone>[A-Za-z]{1,5}(?: ?[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}))?(?: ?\([^)]{0,40}\))?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Rfc822Regex();

    [GeneratedRegex(
        @"^(?:[\p{L}]{2,12}\.?,? ?)?(?<d>\d{1,2})\.(?<mo>\d{1,2})\.(?<y>\d{4}|\d{2})(?:,? (?<h>\d{1,2})[:.](?<mi>\d{2})(?:[:.](?<s>\d{2}))?(?: ?Uhr)?(?: ?(?<zone>[A-Za-z]{1,5}|[+-]\d{2}:?\d{2}))?)?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex GermanNumericRegex();

    [GeneratedRegex(@"^(?:GMT|UTC|UT)?(?<sign>[+-])(?<h>\d{1,2})(?::?(?<m>\d{2}))?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OffsetRegex();
}

/// <summary>Berlin's offset by the EU summer-time rule (since 1996: last Sunday of March 01:00
/// UTC to last Sunday of October 01:00 UTC), so German local dates read the same on any machine,
/// with or without time-zone data installed.</summary>
public static class CentralEuropeanTime
{
    public static TimeSpan OffsetAt(DateTime local)
    {
        var start = LastSunday(local.Year, 3).AddHours(2);   // 01:00 UTC = 02:00 CET
        var end = LastSunday(local.Year, 10).AddHours(3);    // 01:00 UTC = 03:00 CEST
        return local >= start && local < end ? TimeSpan.FromHours(2) : TimeSpan.FromHours(1);
    }

    private static DateTime LastSunday(int year, int month)
    {
        var last = new DateTime(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, DateTimeKind.Unspecified);
        return last.AddDays(-(int)last.DayOfWeek);
    }
}
