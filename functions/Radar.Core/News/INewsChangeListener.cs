namespace Radar.Core.News;

/// <summary>
/// Told after each news source's import which items were stored new, updated or merged (as now
/// stored), so that what is derived from news — the search index — can follow. Every registered
/// listener is called; none registered is fine. A listener that fails must not fail the ingest:
/// the index can always be rebuilt from the tables.
/// </summary>
public interface INewsChangeListener
{
    Task NewsChangedAsync(IReadOnlyList<NewsItem> changed, CancellationToken cancellationToken);
}
