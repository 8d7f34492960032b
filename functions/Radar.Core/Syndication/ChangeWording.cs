using Radar.Core.Measures;
using Radar.Core.Vocabulary;

namespace Radar.Core.Syndication;

/// <summary>
/// A change's German wording in the shapes feed entries carry (<see cref="FeedLabel"/>,
/// <see cref="FeedFieldChange"/>). The words themselves are the vocabulary's
/// (<see cref="GermanChanges"/>, <see cref="GermanLabels"/>, <see cref="GermanFields"/>), the
/// same as on the pages and in search hits.
/// </summary>
public static class ChangeWording
{
    public static FeedLabel AreaLabel(RadarDefinition? radar, string id) => new(id, GermanLabels.Area(radar, id));

    public static FeedLabel StatusLabel(RadarDefinition? radar, string id) => new(id, GermanLabels.Status(radar, id));

    public static IReadOnlyList<FeedFieldChange> Fields(MeasureChange change, RadarDefinition? radar) =>
        [.. GermanChanges.Fields(change, radar).Select(f => new FeedFieldChange(f.Field, f.Name, f.Old, f.New))];

    /// <summary>The entry's title: the measure's title and what happened to it.</summary>
    public static string Title(MeasureChange change, RadarDefinition? radar) => GermanChanges.Headline(change, radar);

    /// <summary>Plain text for the entry's summary: what happened, then where the measure stands.</summary>
    public static string Summary(MeasureChange change, RadarDefinition? radar) => GermanChanges.Summary(change, radar);
}
