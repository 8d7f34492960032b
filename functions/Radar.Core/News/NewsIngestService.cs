using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Radar.Core.Ingest;
using Radar.Core.News.Reading;
using Radar.Core.Sources;

namespace Radar.Core.News;

/// <summary>A news ingest run: per source what happened, in the order of the source list, and
/// for the run as a whole how many items it read, at what rate (end to end, the index update
/// included), and how many batches (entity group transactions) it wrote.</summary>
public sealed record NewsIngestReport(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string Mode,
    IReadOnlyList<NewsSourceReport> Sources) : IngestReport<NewsSourceReport>(StartedAt, FinishedAt, Mode, Sources)
{
    /// <summary>Items read from every source this run.</summary>
    public int Items => Sources.Sum(s => s.Read);

    /// <summary><see cref="Items"/> per second of the whole run, from taking the lease to the
    /// index update done.</summary>
    public double ItemsPerSecond => Rates.PerSecond(Items, FinishedAt - StartedAt);

    /// <summary>Entity group transactions committed (every table).</summary>
    public int Batches { get; init; }

    /// <summary>Rows those transactions wrote or deleted.</summary>
    public int Rows { get; init; }

    /// <summary>Seconds the search index update took (after the last source).</summary>
    public double IndexSeconds { get; init; }

    /// <summary>Set when the index was rebuilt instead of updated, and why (a run before this
    /// one was cut short after it had written).</summary>
    public string? IndexRebuiltBecause { get; init; }
}

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

    /// <summary>Entity group transactions this source's items were written in.</summary>
    public int Batches { get; init; }

    /// <summary>When this source was done (its items stored, or its failure recorded): with the
    /// counts, how a run progressed source by source.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>For <c>partial</c>: where the feed's XML broke (line and column of the decoded
    /// text) and the reader's message; the items before it were stored.</summary>
    public FeedBreak? Break { get; init; }
}

/// <summary>
/// Ingests every news source: fetch through the shared <see cref="SourceRunner"/> (conditional
/// GET, size cap, timeouts, SSRF guard, per-host limits, back-off with jitter, <c>Retry-After</c>),
/// parse and store with <see cref="NewsFeedImporter"/>, then tell the listeners (the search
/// index) what changed, once per run. Sources are fetched, parsed and related to measures side by
/// side, a few at a time, so a slow or hanging feed never delays the others past its own timeout;
/// their writes go through the one writer (<see cref="CrossSourceDedupe"/>) a feed at a time. One
/// run at a time anywhere: the <c>news</c> <see cref="IngestLease"/>, under which the first run of
/// this version also migrates the tables (<see cref="NewsLayoutMigration"/>).
/// </summary>
public sealed class NewsIngestService(
    SourceStore sources,
    SourceRunner runner,
    NewsFeedImporter importer,
    NewsLayoutMigration layout,
    NewsRunMarker marker,
    IngestLease lease,
    IOptions<IngestLeaseOptions> leaseOptions,
    TimeProvider clock,
    ILogger<NewsIngestService> logger,
    IEnumerable<INewsChangeListener> listeners)
{
    /// <summary>The kind of ingest the lease is held for.</summary>
    public const string LeaseKind = "news";

    // Feeds are small and most answers are 304s; a handful at once keeps one slow host from
    // holding up the rest without opening dozens of connections from one instance, and keeps
    // both cores busy parsing while the writer writes.
    private const int SourcesAtOnce = 4;

    /// <summary>Runs the ingest, unless one is already running somewhere: then the report says
    /// where and since when, and nothing is fetched.</summary>
    public async Task<NewsIngestReport> RunAsync(SourceRunMode mode, CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        return await lease.RunExclusiveAsync(
            LeaseKind,
            async ct =>
            {
                await layout.EnsureUnderLeaseAsync(ct);
                return await IngestAsync(mode, startedAt, leaseOptions.Value.Owner, ct);
            },
            holder => new NewsIngestReport(startedAt, clock.GetUtcNow(), SourceRunModes.Name(mode), []) { AlreadyRunning = holder },
            cancellationToken);
    }

    private async Task<NewsIngestReport> IngestAsync(SourceRunMode mode, DateTimeOffset startedAt, string owner, CancellationToken cancellationToken)
    {
        var cutShort = await marker.ReadAsync(cancellationToken);
        var rebuildBecause = cutShort is null ? null
            : $"the news run started {cutShort.Since:u} on {cutShort.Owner} was cut short after it had written";
        var runLog = new NewsWriteLog(beforeFirstWrite: ct => marker.WriteAsync(new NewsRunInProgress(owner, clock.GetUtcNow()), ct));
        var newsSources = await sources.SyncAndListAsync(kind => kind == SourceKinds.News, cancellationToken);

        var reports = new NewsSourceReport[newsSources.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, newsSources.Count),
            new ParallelOptions { MaxDegreeOfParallelism = SourcesAtOnce, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var source = newsSources[i];
                var run = await runner.RunAsync(source, mode, (fetched, token) => ImportAsync(source, fetched, runLog, token), ct);
                reports[i] = Report(source, run);
            });

        var indexStarted = Stopwatch.GetTimestamp();
        var told = await NotifyAsync(runLog.ChangedItems, rebuildBecause, cancellationToken);
        var indexTime = Stopwatch.GetElapsedTime(indexStarted);
        if (told && (runLog.Started || cutShort is not null))
        {
            // Only once the index knows what this run (and a cut-short one before it) wrote; a
            // listener that failed leaves the marker, so the next run rebuilds.
            await marker.ClearAsync(cancellationToken);
        }

        var report = new NewsIngestReport(startedAt, clock.GetUtcNow(), SourceRunModes.Name(mode), reports)
        {
            Batches = runLog.Transactions,
            Rows = runLog.Entities,
            IndexSeconds = Math.Round(indexTime.TotalSeconds, 2),
            IndexRebuiltBecause = rebuildBecause,
        };
        logger.LogInformation(
            "News ingest ({Mode}): {Items} items read from {Sources} sources ({New} new, {Updated} updated, {Merged} merged, {Unchanged} unchanged) in {Seconds} s, {Rate} items/s; {Batches} batches ({Rows} rows); index {IndexSeconds} s, {Changed} items{Rebuild}",
            report.Mode, report.Items, reports.Length, reports.Sum(r => r.New), reports.Sum(r => r.Updated), reports.Sum(r => r.Merged), reports.Sum(r => r.Unchanged),
            Rates.Seconds(report.FinishedAt - report.StartedAt), report.ItemsPerSecond, report.Batches, report.Rows,
            Rates.Seconds(indexTime), runLog.ChangedItems.Count, rebuildBecause is null ? "" : $" (rebuilt: {rebuildBecause})");
        return report;
    }

    private async Task<NewsImportReport> ImportAsync(Source source, FetchResult fetched, NewsWriteLog runLog, CancellationToken cancellationToken)
    {
        var feedUrl = fetched.FinalUrl ?? new Uri(source.Url);
        var contentType = fetched.MediaType is null ? null
            : fetched.Charset is null ? fetched.MediaType
            : $"{fetched.MediaType}; charset={fetched.Charset}";
        var info = new NewsSourceInfo(source.Id, source.Name ?? (feedUrl.IsFile || feedUrl.Host.Length == 0 ? source.Id : feedUrl.Host));
        var imported = await importer.ImportAsync(info, new FeedPayload(fetched.Content, contentType, feedUrl), runLog, cancellationToken);

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
            Batches = imported?.Batches ?? 0,
            FinishedAt = clock.GetUtcNow(),
            Error = run.Error,
            NextAttempt = run.NextAttempt,
        };
        logger.LogInformation(
            "News source {Source}: {Outcome}; read {Read}, new {New}, updated {Updated}, merged {Merged}, unchanged {Unchanged}, skipped {Skipped}; {Batches} batches ({Rows} rows); parse {ParseSeconds} s, write {WriteSeconds} s{Error}",
            source.Id, report.Outcome, report.Read, report.New, report.Updated, report.Merged, report.Unchanged, report.Skipped.Count,
            report.Batches, imported?.Rows ?? 0, Rates.Seconds(imported?.ParseTime ?? TimeSpan.Zero), Rates.Seconds(imported?.WriteTime ?? TimeSpan.Zero),
            report.Error is null ? "" : $"; {report.Error}");
        return report;
    }

    /// <summary>Tells every listener; false when one of them failed.</summary>
    private async Task<bool> NotifyAsync(IReadOnlyList<NewsItem> items, string? rebuildBecause, CancellationToken cancellationToken)
    {
        if (items.Count == 0 && rebuildBecause is null)
        {
            return true;
        }

        var told = true;
        foreach (var listener in listeners)
        {
            try
            {
                await listener.NewsChangedAsync(items, rebuildBecause, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // What listeners derive (the search index) is rebuilt from the tables; the ingest stands.
                logger.LogError(ex, "News change listener {Listener} failed", listener.GetType().Name);
                told = false;
            }
        }

        return told;
    }
}
