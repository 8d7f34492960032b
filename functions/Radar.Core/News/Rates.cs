using System.Globalization;

namespace Radar.Core.News;

/// <summary>Rates and durations as reports and logs show them.</summary>
internal static class Rates
{
    public static double PerSecond(int count, TimeSpan elapsed) =>
        elapsed <= TimeSpan.Zero ? 0 : Math.Round(count / elapsed.TotalSeconds, 1);

    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
}
