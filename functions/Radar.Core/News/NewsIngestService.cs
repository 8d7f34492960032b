using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Radar.Core.Ingest;
using Radar.Core.News.Reading;
using Radar.Core.Sources;

namespace Radar.Core.News;

/// <summary>A news ingest run: per source what happened, in the order of the source list.</summary>
public sealed record NewsIngestReport(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Mode,
    IReadOnlyList<NewsSourceReport> Sources) : IngestReport<NewsSourceReport>(StartedAt, FinishedAt, Mode, Sources);

/// <summary>One feed in a news run: the shared outcome and counts (<see cref="SourceReport"/>;
/// <c>not-modified</c> is a 304 or the same file) plus what a news item can go through.</summary>
public sealed record NewsSourceReport : SourceReport
{
    public string? Name { get; init; }

    /// <summary>The feed's format as read (rss20, atom, rdf, jsonfeed …).</summary>
    public string? Format { get; init; }

    public int New { get; init; }

    /// <summary>Items already stored from another source (same canonical link): now naming both.</summary>
    public int Merged { get; init; }

    public IReadOnlyList<SkippedNewsItem> Skipped { get; init; } = [];

    /// <summary>For <c>partial</c>: where the feed's XML broke (line and column of the decoded
    /// text) and the reader's message; the items before it were stored.</summary>
    public FeedBreak? Break { get; init; }
}

/// <summary>
/// Ingests every news source: fetch through the shared <see cref="SourceRunner"/> (conditional
/// GET, size cap, timeouts, SSRF guard, per-host limits, back-off with jitter, <c>Retry-After</c>),
/// parse and store with <see cref="NewsFeedImporter"/>, then tell the listeners (the search
/// index) what changed, once per run. Sources run side by side, a few at a time, so a slow or
/// hanging feed never delays the others past its own timeout. One run at a time anywhere: the
/// <c>news</c> <see cref="IngestLease"/>.
/// </summary>
public sealed class NewsIngestService(
    SourceStore sources,
    SourceRunner runner,
    NewsFeedImporter importer,
    NewsStore store,
    IngestLease lease,
    TimeProvider clock,
    ILogger<NewsIngestService> logger,
    IEnumerable<INewsChangeListener> listeners) : IDisposable
{
    /// <summary>The kind of ingest the lease is held for.</summary>
    public const string LeaseKind = "news";

    // Feeds are small and most answers are 304s; a handful at once keeps one slow host from
    // holding up the rest without opening dozens of connections from one instance.
    private const int SourcesAtOnce = 4;

    // Fetches run side by side; imports one at a time. The dedupe (one item per canonical link,
    // across sources: CrossSourceDedupe) reads before it writes, so two sources carrying the same story must
    // not import it at the same moment. Imports are quick table writes; the waiting is in fetches.
    private readonly SemaphoreSlim _imports = new(1, 1);

    /// <summary>Runs the ingest, unless one is already running somewhere: then the report says
    /// where and since when, and nothing is fetched.</summary>
    public async Task<NewsIngestReport> RunAsync(SourceRunMode mode, CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        return await lease.RunExclusiveAsync(
            LeaseKind,
            ct => IngestAsync(mode, ct),
            holder => new NewsIngestReport(startedAt, clock.GetUtcNow(), SourceRunModes.Name(mode), []) { AlreadyRunning = holder },
            cancellationToken);
    }

    private async Task<NewsIngestReport> IngestAsync(SourceRunMode mode, CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        var newsSources = await sources.SyncAndListAsync(kind => kind == SourceKinds.News, cancellationToken);

        var reports = new NewsSourceReport[newsSources.Count];
        var changed = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, newsSources.Count),
            new ParallelOptions { MaxDegreeOfParallelism = SourcesAtOnce, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var source = newsSources[i];
                var run = await runner.RunAsync(source, mode, (fetched, token) => ImportAsync(source, fetched, token), ct);
                foreach (var key in run.Result?.Changed ?? [])
                {
                    changed.TryAdd(key, 0);
                }

                reports[i] = Report(source, run);
            });

        await NotifyAsync([.. changed.Keys], cancellationToken);
        return new NewsIngestReport(startedAt, clock.GetUtcNow(), SourceRunModes.Name(mode), reports);
    }

    private async Task<NewsImportReport> ImportAsync(Source source, FetchResult fetched, CancellationToken cancellationToken)
    {
        var feedUrl = fetched.FinalUrl ?? new Uri(source.Url);
        var contentType = fetched.MediaType is null ? null
            : fetched.Charset is null ? fetched.MediaType
            : $"{fetched.MediaType}; charset={fetched.Charset}";
        var info = new NewsSourceInfo(source.Id, source.Name ?? (feedUrl.IsFile || feedUrl.Host.Length == 0 ? source.Id : feedUrl.Host));
        NewsImportReport imported;
        await _imports.WaitAsync(cancellationToken);
        try
        {
            imported = await importer.ImportAsync(info, new FeedPayload(fetched.Content, contentType, feedUrl), cancellationToken);
        }
        finally
        {
            _imports.Release();
        }

        // A feed refused as a whole (not a feed, too deep, empty) is the source failing: it goes
        // into back-off like an unreachable one, and what it delivered before stays stored.
        return imported.Error is { } error ? throw new SourceContentException(error.Message) : imported;
    }

    private NewsSourceReport Report(Source source, SourceRun<NewsImportReport> run)
    {
        var imported = run.Result;
        var report = new NewsSourceReport
        {
            Source = source.Id,
            Url = source.Url,
            Name = source.Name ?? imported?.Feed?.Title,
            Outcome = run.Outcome,
            Format = imported?.Feed?.Format.ToString().ToLowerInvariant(),
            Read = imported?.Read ?? 0,
            New = imported?.New ?? 0,
            Updated = imported?.Updated ?? 0,
            Unchanged = imported?.Unchanged ?? 0,
            Merged = imported?.Merged ?? 0,
            Skipped = imported?.Skipped ?? [],
            Break = imported?.Break,
            Error = run.Error,
            NextAttempt = run.NextAttempt,
        };
        logger.LogInformation(
            "News source {Source}: {Outcome}; read {Read}, new {New}, updated {Updated}, merged {Merged}, unchanged {Unchanged}, skipped {Skipped}{Error}",
            source.Id, report.Outcome, report.Read, report.New, report.Updated, report.Merged, report.Unchanged, report.Skipped.Count,
            report.Error is null ? "" : $"; {report.Error}");
        return report;
    }

    private async Task NotifyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var items = new List<NewsItem>(keys.Count);
        foreach (var key in keys)
        {
            if (await store.GetAsync(key, cancellationToken) is { } item)
            {
                items.Add(item);
            }
        }

        foreach (var listener in listeners)
        {
            try
            {
                await listener.NewsChangedAsync(items, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // What listeners derive (the search index) is rebuilt from the tables; the ingest stands.
                logger.LogError(ex, "News change listener {Listener} failed", listener.GetType().Name);
            }
        }
    }

    public void Dispose() => _imports.Dispose();
}
