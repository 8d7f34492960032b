namespace Radar.Core.Measures.Timeline;

/// <summary>
/// A moment of a radar's timeline a view is asked for: the end of a day in Berlin, an edition
/// (its publication day, and among editions of the same day up to this one), or the latest state.
/// </summary>
public sealed record TimePoint(DateTimeOffset At, DateOnly Date, string? EditionId)
{
    /// <summary>Everything recorded, whenever dated.</summary>
    public static TimePoint Latest { get; } = new(DateTimeOffset.MaxValue, DateOnly.MaxValue, null);

    public static TimePoint OfDate(DateOnly date) => new(BerlinTime.EndOfDay(date), date, null);

    public static TimePoint Of(Edition edition) => new(edition.At, edition.Published, edition.Id);

    public bool IsLatest => At == DateTimeOffset.MaxValue;

    public bool Includes(TimelineState state) =>
        state.At.UtcTicks < At.UtcTicks ||
        (state.At.UtcTicks == At.UtcTicks &&
         (EditionId is null || string.CompareOrdinal(state.Origin, TimelineState.EditionOrigin(EditionId)) <= 0));

    public bool Includes(Edition edition) =>
        edition.At < At || (edition.At == At && (EditionId is null || string.CompareOrdinal(edition.Id, EditionId) <= 0));
}
