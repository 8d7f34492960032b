namespace Radar.Core.News;

/// <summary>
/// Told after each news run which items were stored new, updated or merged (as now stored), so
/// that what is derived from news — the search index — can follow. Every registered listener is
/// called; none registered is fine. A listener that fails must not fail the ingest: the index can
/// always be rebuilt from the tables.
/// </summary>
public interface INewsChangeListener
{
    Task NewsChangedAsync(IReadOnlyList<NewsItem> changed, CancellationToken cancellationToken);

    /// <summary>The same, and when <paramref name="rebuildBecause"/> is set, rebuild what is
    /// derived from the tables instead: a run before this one was cut short after it had written,
    /// so the tables hold items the listener may never have been told about.</summary>
    Task NewsChangedAsync(IReadOnlyList<NewsItem> changed, string? rebuildBecause, CancellationToken cancellationToken) =>
        NewsChangedAsync(changed, cancellationToken);
}
