
namespace Radar.Core.Measures;

/// <summary>
/// The <c>edition</c> block of a document in the import format (<c>radar.edition</c>), or what a
/// CSV source's settings say (<c>Radar__Sources__N__Edition</c>, <c>…__EditionTitle</c>,
/// <c>…__EditionPublished</c>).
/// </summary>
public sealed record EditionInfo(string Id, string Title, DateOnly Published, string? Introduction = null)
{
    public const int MaxIdLength = 50;
    public const int MaxTitleLength = 300;
    public const int MaxIntroduction = 20_000;

    /// <summary>End of the publication day in Berlin: when the edition's states are dated.</summary>
    public DateTimeOffset At => BerlinTime.EndOfDay(Published);

    /// <summary>Why <paramref name="id"/> cannot name an edition, or null. A slug, and not shaped
    /// like a date, so <c>from=2023</c> and <c>from=2023-07-20</c> can never be confused.</summary>
    public static string? IdProblem(string? id) =>
        !Slug.IsValid(id, MaxIdLength) ? $"an edition id must be a slug like '2024' (lowercase letters, digits, hyphens; at most {MaxIdLength}), not '{id}'"
        : BerlinTime.LooksLikeDate(id) ? $"an edition id must not look like a date ('{id}'); use e.g. '2024'"
        : null;
}

/// <summary>How many measures an edition (or a first import) holds and what it changed, by kind.</summary>
public sealed record EditionCounts(int Measures, int Created, int Updated, int StatusChanged, int Removed, int Restored)
{
    public static EditionCounts Empty { get; } = new(0, 0, 0, 0, 0, 0);

    public int Changes => Created + Updated + StatusChanged + Removed + Restored;

    public static EditionCounts From(int measures, IEnumerable<MeasureChange> changes)
    {
        int created = 0, updated = 0, statusChanged = 0, removed = 0, restored = 0;
        foreach (var change in changes)
        {
            switch (change.Kind)
            {
                case ChangeKinds.Created: created++; break;
                case ChangeKinds.Updated: updated++; break;
                case ChangeKinds.StatusChanged: statusChanged++; break;
                case ChangeKinds.Removed: removed++; break;
                case ChangeKinds.Restored: restored++; break;
            }
        }

        return new EditionCounts(measures, created, updated, statusChanged, removed, restored);
    }
}

/// <summary>
/// A stored edition: a complete snapshot of a radar. <see cref="Members"/> are the measures on it
/// (id → status); a measure of the radar that is not a member is off the radar as of this edition,
/// except <see cref="Kept"/>: ids of records the edition had but that could not be read, about
/// which it says nothing. The members' content is in their timeline states (<c>s|</c> rows).
/// </summary>
public sealed record Edition
{
    public required string RadarId { get; init; }

    public required string Id { get; init; }

    public required string Title { get; init; }

    public required DateOnly Published { get; init; }

    public string? Introduction { get; init; }

    /// <summary>The source that owns the radar (editions are the owner's, whoever imported them).</summary>
    public string? SourceId { get; init; }

    /// <summary>Where the document came from (an <c>Editions</c> setting), null for a backfill.</summary>
    public string? DocumentUrl { get; init; }

    /// <summary>SHA-256 of the edition's canonical content: the same document twice is the same edition.</summary>
    public required string ContentHash { get; init; }

    public required IReadOnlyDictionary<string, string> Members { get; init; }

    public IReadOnlyList<string> Kept { get; init; } = [];

    /// <summary>The radar's areas and statuses as this edition defined them.</summary>
    public required RadarDefinition Definition { get; init; }

    public required DateTimeOffset ImportedAt { get; init; }

    /// <summary>What this edition changed against the states before it (derived, kept current).</summary>
    public EditionCounts Counts { get; init; } = EditionCounts.Empty;

    /// <summary>Every measure on the radar as of this edition, with its status: the members, and
    /// kept measures as the states before said (derived, kept current). What "new" and "moved"
    /// of the current radar compare with.</summary>
    public IReadOnlyDictionary<string, string>? OnRadar { get; init; }

    public IReadOnlyDictionary<string, string> OnRadarOrMembers => OnRadar ?? Members;

    public DateTimeOffset At => BerlinTime.EndOfDay(Published);

    public bool Says(string measureId) => Members.ContainsKey(measureId) || Kept.Contains(measureId, StringComparer.Ordinal);

    /// <summary>Timeline order: publication, then id.</summary>
    public static int Compare(Edition a, Edition b)
    {
        var byDate = a.Published.CompareTo(b.Published);
        return byDate != 0 ? byDate : string.CompareOrdinal(a.Id, b.Id);
    }
}
