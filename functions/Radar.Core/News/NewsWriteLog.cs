namespace Radar.Core.News;

/// <summary>A transaction of news rows storage has committed: which table, how many entities.</summary>
public sealed record NewsBatchCommitted(string Table, int Entities);

/// <summary>
/// Told after every transaction of news rows is committed, in the writer's flow (the writer
/// waits for it). For logs and metrics, and for tests that must act at a known point of a run —
/// stop storage after the first batch — rather than after a guessed delay.
/// </summary>
public interface INewsBatchObserver
{
    ValueTask BatchCommittedAsync(NewsBatchCommitted batch, CancellationToken cancellationToken);
}

/// <summary>
/// What one import (and, through <see cref="Parent"/>, its run) wrote: transactions and entities.
/// A run's log also says what must happen before its first write (the run marker:
/// <see cref="NewsRunMarker"/>), once.
/// </summary>
public sealed class NewsWriteLog(NewsWriteLog? parent = null, Func<CancellationToken, Task>? beforeFirstWrite = null)
{
    private readonly Dictionary<string, NewsItem> _changed = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _transactions;
    private int _entities;
    private volatile bool _started;

    public NewsWriteLog? Parent => parent;

    /// <summary>Entity group transactions committed.</summary>
    public int Transactions => _transactions;

    /// <summary>Entities those transactions wrote or deleted.</summary>
    public int Entities => _entities;

    /// <summary>Whether anything was written (the run marker, then at least one batch).</summary>
    public bool Started => _started || (parent?.Started ?? false);

    /// <summary>Items stored new, updated or merged (as now stored; an item written twice, by two
    /// feeds, in its latest form): what the search index must follow.</summary>
    public IReadOnlyList<NewsItem> ChangedItems
    {
        get
        {
            lock (_gate)
            {
                return [.. _changed.Values];
            }
        }
    }

    // Called by the one writer in the order it wrote, so the last state of an item wins.
    internal void Changed(IEnumerable<NewsItem> items)
    {
        var list = items as IReadOnlyCollection<NewsItem> ?? [.. items];
        lock (_gate)
        {
            foreach (var item in list)
            {
                _changed[item.Key] = item;
            }
        }

        parent?.Changed(list);
    }

    internal void Committed(int entities)
    {
        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _entities, entities);
        parent?.Committed(entities);
    }

    // Called by the one writer (CrossSourceDedupe holds its lock while it writes), never
    // concurrently; a failed marker write leaves the log unstarted, so the next write tries again.
    internal async Task BeforeFirstWriteAsync(CancellationToken cancellationToken)
    {
        if (parent is not null)
        {
            await parent.BeforeFirstWriteAsync(cancellationToken);
        }

        if (!_started && beforeFirstWrite is not null)
        {
            await beforeFirstWrite(cancellationToken);
        }

        _started = true;
    }
}
