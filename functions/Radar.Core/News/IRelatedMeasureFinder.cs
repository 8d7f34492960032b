namespace Radar.Core.News;

/// <summary>
/// Finds the measures a news item is about: the seam between news and measures. The search index
/// answers it (<c>IndexRelatedMeasureFinder</c>, registered by <c>AddSearch</c>).
/// </summary>
public interface IRelatedMeasureFinder
{
    /// <summary>Measure ids, best first; empty when none fit.</summary>
    Task<IReadOnlyList<string>> FindAsync(NewsItem item, CancellationToken cancellationToken);
}
