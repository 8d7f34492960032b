using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Radar.Core.Ingest;
using Radar.Core.Storage;

namespace Radar.Core.News;

/// <summary>How far a migration got: rows copied so far, by kind.</summary>
public sealed record NewsMigrationProgress(int Items, int Aliases, int Claims, int Batches);

/// <summary>
/// Moves news from the first layout (<c>News</c>: a partition per item and alias;
/// <c>NewsLinks</c>: a partition per link) into the batched one (<see cref="NewsTables"/>), on the
/// first start of this version. Under the <c>news</c> ingest lease, so no run writes meanwhile:
/// every item and alias row is copied into <c>NewsItems</c> and gets its <c>NewsKeys</c> row
/// (an item under its first source and the month of its date, an alias under its source and its
/// story's month), every claim into <c>NewsLinkClaims</c>; the listing table <c>NewsIndex</c> is
/// the same in both layouts. Then the layout marker (<c>NewsItems</c> <c>state</c>/<c>layout</c>)
/// is written and the old tables deleted. Every copy is an upsert of rows derived from the old ones
/// alone, so a migration cut short is simply run again from the start; readers find what is not
/// copied yet in the old table meanwhile (<see cref="NewsStore.GetAsync"/>). Old tables that
/// appear after the marker (an instance of the previous version writing after the upgrade) are
/// deleted, not copied.
/// </summary>
public sealed class NewsLayoutMigration(RadarStorage storage, NewsStore store, IngestLease lease, TimeProvider clock, ILogger<NewsLayoutMigration> logger)
{
    public const int Version = 2;
    private const int Page = 1000;
    private volatile bool _done;

    /// <summary>Makes sure the layout is current, taking the <c>news</c> lease only when there is
    /// something to migrate. False when another process holds the lease (try again later).</summary>
    public async Task<bool> EnsureAsync(CancellationToken cancellationToken)
    {
        if (await IsCurrentAsync(cancellationToken))
        {
            return true;
        }

        await using var run = await lease.TryAcquireAsync(NewsIngestService.LeaseKind, cancellationToken);
        if (!run.Acquired)
        {
            logger.LogInformation("News layout migration waits: the news lease is held by {Owner} since {Since}", run.Holder.Owner, run.Holder.Since);
            return false;
        }

        await EnsureUnderLeaseAsync(run.CancellationToken);
        return true;
    }

    /// <summary>The same, for a caller that holds the <c>news</c> lease already (an ingest run).</summary>
    public async Task EnsureUnderLeaseAsync(CancellationToken cancellationToken)
    {
        if (!await IsCurrentAsync(cancellationToken))
        {
            await MigrateAsync(cancellationToken);
        }
    }

    /// <summary>Copies everything of the first layout, writes the marker, deletes the old tables.
    /// The caller holds the <c>news</c> lease. <paramref name="progress"/> is told after every batch.</summary>
    public async Task<NewsMigrationProgress> MigrateAsync(CancellationToken cancellationToken, Func<NewsMigrationProgress, CancellationToken, ValueTask>? progress = null)
    {
        var started = Stopwatch.GetTimestamp();
        logger.LogInformation("News layout migration to version {Version} started", Version);
        var log = new NewsWriteLog();
        int items = 0, aliases = 0, claims = 0;
        async ValueTask Report(CancellationToken ct)
        {
            if (progress is not null)
            {
                await progress(new NewsMigrationProgress(items, aliases, claims, log.Transactions), ct);
            }
        }

        // Items first (an alias is filed under its story's month), aliases after.
        var stories = new Dictionary<string, NewsItem>(StringComparer.Ordinal);
        var pendingAliases = new List<NewsAlias>();
        if (await TableOfAsync(NewsTables.LegacyItems, cancellationToken) is { } legacyItems)
        {
            await foreach (var page in legacyItems.QueryAsync<TableEntity>(maxPerPage: Page, cancellationToken: cancellationToken).AsPages())
            {
                var itemRows = new List<TableWrite>();
                var keyRows = new List<TableWrite>();
                foreach (var row in page.Values.Where(r => r.RowKey == NewsTables.LegacyRow))
                {
                    var record = NewsTables.ReadRecord(row, row.PartitionKey);
                    if (record.Alias is { } alias)
                    {
                        pendingAliases.Add(alias);
                    }
                    else if (record.Item is { } stored)
                    {
                        var item = stored.Item;
                        var owner = item.Sources.Count > 0 ? item.Sources[0] : new NewsSourceRef("", "");
                        var partition = NewsTables.KeyPartition(owner.Id, item.Published);
                        stories[item.Key] = item with { ContentHtml = "", Summary = "" };
                        itemRows.Add(Upsert(NewsTables.ItemEntity(item, stored.Fingerprint, stored.FirstSeen, row.GetDateTimeOffset("Changed") ?? stored.FirstSeen, partition), item.Key));
                        keyRows.Add(Upsert(NewsTables.KeyEntity(new NewsKeyState(item.Key, partition, false, item.Key, stored.Fingerprint, item.RelatedMeasures, owner.Name)), item.Key));
                    }
                }

                await Task.WhenAll(
                    store.WriteAsync(NewsTables.Items, itemRows, log, cancellationToken),
                    store.WriteAsync(NewsTables.Keys, keyRows, log, cancellationToken));
                items += itemRows.Count;
                await Report(cancellationToken);
            }

            foreach (var chunk in pendingAliases.Chunk(Page))
            {
                var aliasRows = new List<TableWrite>();
                var keyRows = new List<TableWrite>();
                foreach (var alias in chunk)
                {
                    var story = stories.GetValueOrDefault(alias.Target);
                    var partition = NewsTables.KeyPartition(alias.SourceId, story?.Published ?? clock.GetUtcNow());
                    var name = story?.Sources.FirstOrDefault(s => s.Id == alias.SourceId)?.Name ?? "";
                    aliasRows.Add(Upsert(NewsTables.AliasEntity(alias with { KeyFiled = partition }), alias.Key));
                    // The related measures of what the alias last delivered were not kept; its
                    // story's are the best guess, checked against the fingerprint before use.
                    keyRows.Add(Upsert(NewsTables.KeyEntity(new NewsKeyState(alias.Key, partition, true, alias.Target, alias.Fingerprint, story?.RelatedMeasures ?? [], name)), alias.Key));
                }

                await Task.WhenAll(
                    store.WriteAsync(NewsTables.Items, aliasRows, log, cancellationToken),
                    store.WriteAsync(NewsTables.Keys, keyRows, log, cancellationToken));
                aliases += aliasRows.Count;
                await Report(cancellationToken);
            }
        }

        if (await TableOfAsync(NewsTables.LegacyLinks, cancellationToken) is { } legacyLinks)
        {
            await foreach (var page in legacyLinks.QueryAsync<TableEntity>(maxPerPage: Page, cancellationToken: cancellationToken).AsPages())
            {
                var rows = page.Values
                    .Where(r => r.RowKey == NewsTables.LegacyLinkRow && r.GetString("Target") is { Length: > 0 })
                    .Select(r => Upsert(
                        new TableEntity(NewsTables.ClaimPartition(r.PartitionKey), r.PartitionKey) { ["Target"] = r.GetString("Target"), ["Link"] = r.GetString("Link") },
                        r.GetString("Target")!))
                    .ToList();
                await store.WriteAsync(NewsTables.Claims, rows, log, cancellationToken);
                claims += rows.Count;
                await Report(cancellationToken);
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        await WriteMarkerAsync(items, aliases, claims, elapsed, cancellationToken);
        await DropLegacyAsync(cancellationToken);
        _done = true;
        logger.LogInformation(
            "News layout migration done in {Seconds} s: {Items} items, {Aliases} aliases, {Claims} link claims in {Batches} batches ({Rate} rows/s)",
            Rates.Seconds(elapsed), items, aliases, claims, log.Transactions, Rates.PerSecond(log.Entities, elapsed));
        return new NewsMigrationProgress(items, aliases, claims, log.Transactions);
    }

    /// <summary>True when the marker is there (old tables left over are deleted) or there never
    /// was a first layout (the marker is written).</summary>
    private async Task<bool> IsCurrentAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return true;
        }

        var table = await storage.GetTableAsync(NewsTables.Items, cancellationToken);
        if (await NewsStore.GetRowAsync(table, NewsTables.StatePartition, NewsTables.LayoutRow, cancellationToken) is not null)
        {
            await DropLegacyAsync(cancellationToken);
            _done = true;
            return true;
        }

        if (await TableOfAsync(NewsTables.LegacyItems, cancellationToken) is null && await TableOfAsync(NewsTables.LegacyLinks, cancellationToken) is null)
        {
            await WriteMarkerAsync(0, 0, 0, TimeSpan.Zero, cancellationToken);
            store.LegacyGone();
            _done = true;
            return true;
        }

        return false;
    }

    private async Task WriteMarkerAsync(int items, int aliases, int claims, TimeSpan took, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(NewsTables.Items, cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(NewsTables.StatePartition, NewsTables.LayoutRow)
        {
            ["Kind"] = "state",
            ["Version"] = Version,
            ["At"] = clock.GetUtcNow(),
            ["Items"] = items,
            ["Aliases"] = aliases,
            ["Claims"] = claims,
            ["Seconds"] = took.TotalSeconds,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    private async Task DropLegacyAsync(CancellationToken cancellationToken)
    {
        foreach (var name in new[] { NewsTables.LegacyItems, NewsTables.LegacyLinks })
        {
            if (await TableOfAsync(name, cancellationToken) is not null)
            {
                logger.LogInformation("Deleting the first-layout news table {Table}", storage.TableName(name));
                try
                {
                    await storage.TableService.DeleteTableAsync(storage.TableName(name), cancellationToken);
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                }
            }
        }

        store.LegacyGone();
    }

    private async Task<TableClient?> TableOfAsync(string name, CancellationToken cancellationToken) =>
        await NewsStore.TableExistsAsync(storage, name, cancellationToken) ? storage.TableService.GetTableClient(storage.TableName(name)) : null;

    private static TableWrite Upsert(TableEntity entity, string owner) =>
        new(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity), owner);
}

/// <summary>Runs <see cref="NewsLayoutMigration"/> when the host starts, in the background: until
/// it is done, or another instance (or an ingest run, which migrates first) has done it.</summary>
public sealed class NewsLayoutMigrationService(NewsLayoutMigration migration, TimeProvider clock, ILogger<NewsLayoutMigrationService> logger) : BackgroundService
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await migration.EnsureAsync(stoppingToken))
                {
                    return;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "News layout check failed; trying again in {Retry}", Retry);
            }

            await Task.Delay(Retry, clock, stoppingToken);
        }
    }
}
