using Radar.Core.News;

namespace Radar.Core.Measures;

/// <summary>A news item about a measure, as a measure's page lists it.</summary>
public sealed record RelatedNews(string Id, string Title, DateTimeOffset Date, string? Link, NewsSourceRef? Source);

/// <summary>
/// Finds the news about a measure (the items whose related measures include it), newest first.
/// The search index answers it (<c>IndexRelatedNewsFinder</c>); while no index is loaded the
/// answer is empty.
/// </summary>
public interface IRelatedNewsFinder
{
    Task<IReadOnlyList<RelatedNews>> FindAsync(string radarId, string measureId, CancellationToken cancellationToken);
}
