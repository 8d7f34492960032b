namespace Radar.Core.News;

/// <summary>
/// Finds the measures a news item is about. The seam between news and measures: once the search
/// index exists it searches the item's title and summary against the measures; until then the
/// registered finder is <see cref="NoRelatedMeasures"/>, or a <see cref="KeywordMeasureFinder"/>
/// over measure titles and tags.
/// </summary>
public interface IRelatedMeasureFinder
{
    /// <summary>Measure ids, best first; empty when none fit.</summary>
    Task<IReadOnlyList<string>> FindAsync(NewsItem item, CancellationToken cancellationToken);
}

/// <summary>The finder while no measures exist: finds nothing.</summary>
public sealed class NoRelatedMeasures : IRelatedMeasureFinder
{
    public Task<IReadOnlyList<string>> FindAsync(NewsItem item, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}

/// <summary>What <see cref="KeywordMeasureFinder"/> knows of a measure.</summary>
public sealed record MeasureKeywords(string MeasureId, string Title, IReadOnlyList<string> Tags);

/// <summary>
/// The interim finder: a measure is related when its title, or one of its tags, occurs as whole
/// words in the item's title, summary or tags (case, umlauts and ß folded: "E-Akte" finds
/// "e-akte", "München" finds "Muenchen"). Tags shorter than three characters are ignored: they
/// match too much. Replaced by a search of the measure index when that lands.
/// </summary>
public sealed class KeywordMeasureFinder(IEnumerable<MeasureKeywords> measures) : IRelatedMeasureFinder
{
    public const int MaxMeasures = 10;

    private readonly IReadOnlyList<(string Id, string[][] Phrases)> _measures = measures
        .Select(m => (m.MeasureId, new[] { m.Title }.Concat(m.Tags)
            .Select(Words)
            .Where(words => words.Length > 0 && string.Concat(words).Length >= 3)
            .ToArray()))
        .Where(m => m.Item2.Length > 0)
        .ToList();

    public Task<IReadOnlyList<string>> FindAsync(NewsItem item, CancellationToken cancellationToken)
    {
        // Field by field, so a phrase never spans the end of the title and the start of the summary.
        var fields = new[] { item.Title, item.Summary }.Concat(item.Tags).Select(Words).ToList();
        var found = new List<(string Id, int Score)>();
        foreach (var (id, phrases) in _measures)
        {
            var score = phrases.Sum(phrase => fields.Sum(field => Occurrences(field, phrase)) * phrase.Length);
            if (score > 0)
            {
                found.Add((id, score));
            }
        }

        IReadOnlyList<string> ids = [.. found.OrderByDescending(f => f.Score).ThenBy(f => f.Id, StringComparer.Ordinal).Take(MaxMeasures).Select(f => f.Id)];
        return Task.FromResult(ids);
    }

    private static int Occurrences(string[] text, string[] phrase)
    {
        var count = 0;
        for (var i = 0; i + phrase.Length <= text.Length; i++)
        {
            if (text.AsSpan(i, phrase.Length).SequenceEqual(phrase))
            {
                count++;
            }
        }

        return count;
    }

    // Words split at anything but letters and digits, so "E-Akte" and "E Akte" are the same.
    private static string[] Words(string text)
    {
        var folded = NewsTags.Fold(text);
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var inWord = i < folded.Length && (char.IsLetterOrDigit(folded[i]));
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(folded[start..i]);
                start = -1;
            }
        }

        return [.. words];
    }
}
