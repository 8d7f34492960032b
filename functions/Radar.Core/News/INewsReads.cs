namespace Radar.Core.News;

/// <summary>What the public routes read about news: one item, and the latest items paged by
/// source and tag. The tables (<see cref="TableNewsReads"/>) or the published snapshot
/// (<c>Search.Serving.SnapshotReads</c>, what public GETs use).</summary>
public interface INewsReads
{
    Task<NewsItem?> GetAsync(string key, CancellationToken cancellationToken);

    Task<NewsPage> ListAsync(NewsQuery query, CancellationToken cancellationToken);
}

public sealed class TableNewsReads(NewsStore store) : INewsReads
{
    public Task<NewsItem?> GetAsync(string key, CancellationToken cancellationToken) => store.GetAsync(key, cancellationToken);

    public Task<NewsPage> ListAsync(NewsQuery query, CancellationToken cancellationToken) => store.ListAsync(query, cancellationToken);
}
