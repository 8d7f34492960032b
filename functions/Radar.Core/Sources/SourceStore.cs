using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Radar.Core.Storage;

namespace Radar.Core.Sources;

/// <summary>
/// The <c>Sources</c> table: every source with its fetch state, one partition (a deployment has
/// tens of sources, not millions). Sources from settings are written into it before each run
/// (<see cref="SyncSettingsAsync"/>); sources added through the API live beside them.
/// </summary>
public sealed class SourceStore(
    RadarStorage storage,
    IOptionsMonitor<List<SourceSetting>> settings,
    ILogger<SourceStore> logger)
{
    public const string TableName = "Sources";
    private const string Partition = "source";

    /// <summary>Settings entries that could not be used, with the reason (shown in health).</summary>
    public IReadOnlyList<string> SettingsProblems => ReadSettings().Problems;

    /// <summary>Sources as settings name them right now, in settings order.</summary>
    public IReadOnlyList<Source> FromSettings() => ReadSettings().Sources;

    /// <summary>Writes the sources from settings into the table (keeping their fetch state while
    /// their URL and kind stay the same) and drops settings sources that settings no longer name.</summary>
    public async Task<IReadOnlyList<Source>> SyncSettingsAsync(CancellationToken cancellationToken)
    {
        var (wanted, problems) = ReadSettings();
        foreach (var problem in problems)
        {
            logger.LogWarning("Source setting ignored: {Problem}", problem);
        }

        var stored = (await ListAsync(cancellationToken)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        var table = await TableAsync(cancellationToken);
        var result = new List<Source>();
        foreach (var source in wanted)
        {
            if (stored.TryGetValue(source.Id, out var existing))
            {
                var same = existing.Url == source.Url && existing.Kind == source.Kind && existing.Origin == source.Origin;
                var merged = same
                    ? existing with
                    {
                        Name = source.Name,
                        Radar = source.Radar,
                        Definition = source.Definition,
                        Edition = source.Edition,
                        EditionTitle = source.EditionTitle,
                        EditionPublished = source.EditionPublished,
                        Editions = source.Editions,
                        SharesRadar = source.SharesRadar,
                    }
                    : source;
                if (!Same(merged, existing))
                {
                    await table.UpsertEntityAsync(ToEntity(merged), TableUpdateMode.Replace, cancellationToken);
                }

                result.Add(merged);
            }
            else
            {
                await table.UpsertEntityAsync(ToEntity(source), TableUpdateMode.Replace, cancellationToken);
                result.Add(source);
            }
        }

        var wantedIds = wanted.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in stored.Values.Where(s => s.FromSettings && !wantedIds.Contains(s.Id)))
        {
            logger.LogInformation("Source {Id} ({Url}) is no longer in settings; dropping it from the registry", gone.Id, gone.Url);
            await table.DeleteEntityAsync(Partition, gone.Id, ETag.All, cancellationToken);
        }

        return result;
    }

    /// <summary>What an ingest run works through: settings written into the table first, then the
    /// sources whose kind matches — settings sources in settings order, then the others by id.</summary>
    public async Task<IReadOnlyList<Source>> SyncAndListAsync(Func<string, bool> kind, CancellationToken cancellationToken)
    {
        var fromSettings = await SyncSettingsAsync(cancellationToken);
        var order = fromSettings.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        return [.. (await ListAsync(cancellationToken))
            .Where(s => kind(s.Kind))
            .OrderBy(s => order.TryGetValue(s.Id, out var i) ? i : int.MaxValue)
            .ThenBy(s => s.Id, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<Source>> ListAsync(CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        var sources = new List<Source>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            sources.Add(FromEntity(entity));
        }

        return sources;
    }

    public async Task<Source?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>Adds or replaces a source (definition and state).</summary>
    public async Task SaveAsync(Source source, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        await table.UpsertEntityAsync(ToEntity(source), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        try
        {
            await table.DeleteEntityAsync(Partition, id, ETag.All, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>A stable id for a URL: readable from its last path segment, unique by a hash.</summary>
    public static string IdFor(string url)
    {
        var trimmed = url.TrimEnd('/');
        var last = trimmed[(trimmed.LastIndexOfAny(['/', ':']) + 1)..];
        var readable = Slug.From(last, 40);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..8];
        return readable.Length == 0 ? hash : $"{readable}-{hash}";
    }

    /// <summary>Record equality, with the list of editions compared by content.</summary>
    private static bool Same(Source a, Source b) => a with { Editions = b.Editions } == b && a.Editions.SequenceEqual(b.Editions, StringComparer.Ordinal);

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => storage.GetTableAsync(TableName, cancellationToken);

    private (IReadOnlyList<Source> Sources, IReadOnlyList<string> Problems) ReadSettings()
    {
        var sources = new List<Source>();
        var problems = new List<string>();
        var index = 0;
        foreach (var setting in settings.CurrentValue ?? [])
        {
            var at = $"Radar__Sources__{index++}";
            if (string.IsNullOrWhiteSpace(setting.Url))
            {
                problems.Add($"{at}__Url is empty.");
                continue;
            }

            var kind = setting.Kind?.Trim().ToLowerInvariant();
            if (!SourceKinds.IsKnown(kind))
            {
                problems.Add($"{at}__Kind is '{setting.Kind}'; expected one of {string.Join(", ", SourceKinds.All)}.");
                continue;
            }

            if (kind == SourceKinds.MeasuresCsv && (string.IsNullOrWhiteSpace(setting.Radar) || string.IsNullOrWhiteSpace(setting.Definition)))
            {
                problems.Add($"{at}: a measures-csv source needs __Radar (the radar id) and __Definition (a JSON radar definition).");
                continue;
            }

            var edition = string.IsNullOrWhiteSpace(setting.Edition) ? null : setting.Edition.Trim();
            var published = string.IsNullOrWhiteSpace(setting.EditionPublished) ? null : setting.EditionPublished.Trim();
            if (edition is not null && (!Slug.IsValid(edition, 50) || published is null ||
                !DateOnly.TryParseExact(published, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _)))
            {
                problems.Add($"{at}__Edition needs a slug id (e.g. 2024) and {at}__EditionPublished a date YYYY-MM-DD.");
                continue;
            }

            var url = setting.Url.Trim();
            var id = string.IsNullOrWhiteSpace(setting.Id) ? IdFor(url) : Slug.From(setting.Id, 60);
            if (id.Length == 0 || sources.Any(s => s.Id == id))
            {
                problems.Add($"{at}: id '{id}' is empty or already used by another source.");
                continue;
            }

            sources.Add(new Source
            {
                Id = id,
                Url = url,
                Kind = kind!,
                Origin = SourceOrigins.Settings,
                Name = string.IsNullOrWhiteSpace(setting.Name) ? null : setting.Name.Trim(),
                Radar = string.IsNullOrWhiteSpace(setting.Radar) ? null : setting.Radar.Trim(),
                Definition = string.IsNullOrWhiteSpace(setting.Definition) ? null : setting.Definition.Trim(),
                Edition = edition,
                EditionTitle = string.IsNullOrWhiteSpace(setting.EditionTitle) ? null : setting.EditionTitle.Trim(),
                EditionPublished = published,
                Editions = [.. (setting.Editions ?? []).Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim())],
                SharesRadar = setting.SharesRadar,
            });
        }

        return (sources, problems);
    }

    private static TableEntity ToEntity(Source s) => new(Partition, s.Id)
    {
        ["Url"] = s.Url,
        ["Kind"] = s.Kind,
        ["Origin"] = s.Origin,
        ["Name"] = s.Name,
        ["Radar"] = s.Radar,
        ["Definition"] = s.Definition,
        ["Edition"] = s.Edition,
        ["EditionTitle"] = s.EditionTitle,
        ["EditionPublished"] = s.EditionPublished,
        ["Editions"] = s.Editions.Count == 0 ? null : string.Join('\n', s.Editions),
        ["SharesRadar"] = s.SharesRadar ? true : null,
        ["ETag"] = s.ETag,
        ["LastModified"] = s.LastModified,
        ["LastFetch"] = s.LastFetch,
        ["LastSuccess"] = s.LastSuccess,
        ["LastOutcome"] = s.LastOutcome,
        ["LastError"] = s.LastError,
        ["LastErrorAt"] = s.LastErrorAt,
        ["ConsecutiveFailures"] = s.ConsecutiveFailures,
        ["NextAttempt"] = s.NextAttempt,
    };

    private static Source FromEntity(TableEntity e) => new()
    {
        Id = e.RowKey,
        Url = e.GetString("Url") ?? "",
        Kind = e.GetString("Kind") ?? "",
        Origin = e.GetString("Origin") ?? SourceOrigins.Api,
        Name = e.GetString("Name"),
        Radar = e.GetString("Radar"),
        Definition = e.GetString("Definition"),
        Edition = e.GetString("Edition"),
        EditionTitle = e.GetString("EditionTitle"),
        EditionPublished = e.GetString("EditionPublished"),
        Editions = e.GetString("Editions") is { Length: > 0 } editions ? editions.Split('\n') : [],
        SharesRadar = e.GetBoolean("SharesRadar") ?? false,
        ETag = e.GetString("ETag"),
        LastModified = e.GetString("LastModified"),
        LastFetch = e.GetDateTimeOffset("LastFetch"),
        LastSuccess = e.GetDateTimeOffset("LastSuccess"),
        LastOutcome = e.GetString("LastOutcome"),
        LastError = e.GetString("LastError"),
        LastErrorAt = e.GetDateTimeOffset("LastErrorAt"),
        ConsecutiveFailures = e.GetInt32("ConsecutiveFailures") ?? 0,
        NextAttempt = e.GetDateTimeOffset("NextAttempt"),
    };
}
