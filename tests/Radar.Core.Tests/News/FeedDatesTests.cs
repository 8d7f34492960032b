using System.Globalization;
using Radar.Core.News.Normalising;

namespace Radar.Core.Tests.News;

public class FeedDatesTests
{
    [Theory]
    // RFC 822 with the RFC's zones and numeric offsets
    [InlineData("Tue, 10 Jun 2025 04:00:00 GMT", "2025-06-10T04:00:00Z")]
    [InlineData("Tue, 10 Jun 2025 04:00:00 +0000", "2025-06-10T04:00:00Z")]
    [InlineData("Tue, 10 Jun 2025 06:00:00 +0200", "2025-06-10T04:00:00Z")]
    [InlineData("Tue, 10 Jun 2025 06:00:00 +02:00", "2025-06-10T04:00:00Z")]
    [InlineData("Mon, 09 Jun 2025 23:00:00 EDT", "2025-06-10T03:00:00Z")]
    [InlineData("Mon, 09 Jun 2025 21:00:00 PST", "2025-06-10T05:00:00Z")]
    [InlineData("10 Jun 2025 04:00 UT", "2025-06-10T04:00:00Z")]
    [InlineData("Tue, 10 Jun 25 04:00:00 GMT", "2025-06-10T04:00:00Z")]
    [InlineData("Tue,10 Jun 2025 04:00:00 Z", "2025-06-10T04:00:00Z")]
    // European names CodeHollow ignores (it reads them as UTC, an hour or two off)
    [InlineData("Thu, 23 Jan 2025 10:15:00 CET", "2025-01-23T09:15:00Z")]
    [InlineData("Wed, 23 Apr 2025 10:15:00 CEST", "2025-04-23T08:15:00Z")]
    [InlineData("Thu, 23 Jan 2025 10:15:00 MEZ", "2025-01-23T09:15:00Z")]
    [InlineData("Wed, 23 Apr 2025 10:15:00 MESZ", "2025-04-23T08:15:00Z")]
    [InlineData("Wed, 23 Apr 2025 10:15:00 BST", "2025-04-23T09:15:00Z")]
    [InlineData("Wed, 23 Apr 2025 10:15:00 EEST", "2025-04-23T07:15:00Z")]
    [InlineData("Wed, 23 Apr 2025 10:15:00 GMT+2", "2025-04-23T08:15:00Z")]
    [InlineData("Wed, 23 Apr 2025 10:15:00 UTC+0130", "2025-04-23T08:45:00Z")]
    [InlineData("Wed, 23 Apr 2025 10:15:00 +0545", "2025-04-23T04:30:00Z")]
    [InlineData("Wed, 23 Apr 2025 10:15:00 -0330", "2025-04-23T13:45:00Z")]
    [InlineData("Wed, 23 Apr 2025 10:15:00 +0200 (CEST)", "2025-04-23T08:15:00Z")]
    // German month and day names, as localised CMSes write them
    [InlineData("Mi, 23 Apr 2025 10:15:00 +0200", "2025-04-23T08:15:00Z")]
    [InlineData("Do, 04 Dez 2025 09:00:00 +0100", "2025-12-04T08:00:00Z")]
    [InlineData("Mo, 17 Mär 2025 09:00:00 MEZ", "2025-03-17T08:00:00Z")]
    [InlineData("23. Oktober 2025 10:00 MESZ", "2025-10-23T08:00:00Z")]
    // ISO 8601 / RFC 3339
    [InlineData("2025-04-23T10:15:00+02:00", "2025-04-23T08:15:00Z")]
    [InlineData("2025-04-23T08:15:00Z", "2025-04-23T08:15:00Z")]
    [InlineData("2025-04-23T08:15:00.123Z", "2025-04-23T08:15:00.123Z")]
    [InlineData("2025-04-23T10:15+0200", "2025-04-23T08:15:00Z")]
    [InlineData("2025-04-23 10:15:00+02", "2025-04-23T08:15:00Z")]
    [InlineData("2025-04-23T08:15:00", "2025-04-23T08:15:00Z")]
    [InlineData("2025-04-23", "2025-04-23T00:00:00Z")]
    // German numeric dates: Berlin time, summer and winter
    [InlineData("23.04.2025 10:15", "2025-04-23T08:15:00Z")]
    [InlineData("23.01.2025, 10:15 Uhr", "2025-01-23T09:15:00Z")]
    [InlineData("23.01.2025", "2025-01-22T23:00:00Z")]
    // Whitespace around and inside
    [InlineData("  Tue,  10 Jun 2025\n 04:00:00   GMT ", "2025-06-10T04:00:00Z")]
    public void Dates_are_read_to_UTC(string text, string expected)
    {
        var parsed = FeedDates.Parse(text);

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), parsed);
        Assert.Equal(TimeSpan.Zero, parsed!.Value.Offset);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("en-US")]
    [InlineData("ja-JP")]
    [InlineData("ar-SA")]
    public void The_machine_culture_does_not_change_a_date(string culture)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);

            Assert.Equal(new DateTimeOffset(2025, 3, 5, 9, 0, 0, TimeSpan.Zero), FeedDates.Parse("Wed, 05 Mar 2025 10:00:00 CET"));
            Assert.Null(FeedDates.Parse("03/05/2025"));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("gestern")]
    [InlineData("03/05/2025")]
    [InlineData("Tue, 31 Feb 2025 10:00:00 GMT")]
    [InlineData("Tue, 10 Foo 2025 10:00:00 GMT")]
    [InlineData("2025-13-01T00:00:00Z")]
    [InlineData("2025-04-23T25:00:00Z")]
    [InlineData("Wed, 23 Apr 2025 10:15:00 +1900")]
    public void Anything_else_is_no_date(string? text)
    {
        Assert.Null(FeedDates.Parse(text));
    }

    [Theory]
    [InlineData(2025, 3, 30, 1, 59, 1)]  // last Sunday of March, before 02:00
    [InlineData(2025, 3, 30, 3, 0, 2)]
    [InlineData(2025, 10, 26, 2, 59, 2)] // last Sunday of October, before 03:00
    [InlineData(2025, 10, 26, 3, 0, 1)]
    [InlineData(2026, 7, 1, 12, 0, 2)]
    [InlineData(2026, 12, 24, 18, 0, 1)]
    public void Berlin_time_follows_the_EU_summer_time_rule(int y, int mo, int d, int h, int mi, int offsetHours)
    {
        Assert.Equal(TimeSpan.FromHours(offsetHours), CentralEuropeanTime.OffsetAt(new DateTime(y, mo, d, h, mi, 0, DateTimeKind.Unspecified)));
    }
}
