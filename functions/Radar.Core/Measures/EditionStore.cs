using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Radar.Core.Storage;

namespace Radar.Core.Measures;

/// <summary>
/// The <c>Editions</c> table: one partition per radar, one row per edition (title, publication
/// date, introduction, owning source, content hash, members with their status, kept ids, the
/// definition it came with, and the counts of what it changed). Small: a radar has an edition a
/// year, so listing a radar's editions is one short partition read.
/// </summary>
public sealed class EditionStore(RadarStorage storage)
{
    public const string TableName = "Editions";

    /// <summary>A radar's editions, oldest first.</summary>
    public async Task<IReadOnlyList<Edition>> ListAsync(string radarId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TableName, cancellationToken);
        var editions = new List<Edition>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == radarId, cancellationToken: cancellationToken))
        {
            editions.Add(FromEntity(entity));
        }

        editions.Sort(Edition.Compare);
        return editions;
    }

    public async Task<Edition?> GetAsync(string radarId, string editionId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TableName, cancellationToken);
        var entity = await table.GetEntityIfExistsAsync<TableEntity>(radarId, editionId, cancellationToken: cancellationToken);
        return entity.HasValue ? FromEntity(entity.Value!) : null;
    }

    public async Task PutAsync(Edition edition, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(ToEntity(edition), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string radarId, string editionId, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TableName, cancellationToken);
        try
        {
            await table.DeleteEntityAsync(radarId, editionId, ETag.All, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Updates what is derived about an edition (rewritten when editions come and go):
    /// what it changed, and what was on the radar as of it.</summary>
    public async Task SetDerivedAsync(
        string radarId, string editionId, EditionCounts counts, IReadOnlyDictionary<string, string> onRadar, CancellationToken cancellationToken)
    {
        var table = await storage.GetTableAsync(TableName, cancellationToken);
        var entity = new TableEntity(radarId, editionId) { ["Counts"] = JsonSerializer.Serialize(counts, MeasureJson.Options) };
        MeasureStore.WriteText(entity, "OnRadar", JsonSerializer.Serialize(onRadar, MeasureJson.Options));
        try
        {
            await table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Deleted meanwhile: nothing to count.
        }
    }

    private static TableEntity ToEntity(Edition e)
    {
        var entity = new TableEntity(e.RadarId, e.Id)
        {
            ["Title"] = e.Title,
            ["Published"] = e.Published.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["At"] = e.At,
            ["SourceId"] = e.SourceId,
            ["DocumentUrl"] = e.DocumentUrl,
            ["ContentHash"] = e.ContentHash,
            ["ImportedAt"] = e.ImportedAt,
            ["Counts"] = JsonSerializer.Serialize(e.Counts, MeasureJson.Options),
        };
        MeasureStore.WriteText(entity, "Introduction", e.Introduction ?? "");
        MeasureStore.WriteText(entity, "Members", JsonSerializer.Serialize(e.Members, MeasureJson.Options));
        MeasureStore.WriteText(entity, "Kept", JsonSerializer.Serialize(e.Kept, MeasureJson.Options));
        MeasureStore.WriteText(entity, "Definition", MeasureJson.Serialize(e.Definition));
        if (e.OnRadar is { } onRadar)
        {
            MeasureStore.WriteText(entity, "OnRadar", JsonSerializer.Serialize(onRadar, MeasureJson.Options));
        }

        return entity;
    }

    private static Edition FromEntity(TableEntity e)
    {
        var introduction = MeasureStore.ReadText(e, "Introduction");
        var counts = e.GetString("Counts");
        var onRadar = MeasureStore.ReadText(e, "OnRadar");
        return new Edition
        {
            RadarId = e.PartitionKey,
            Id = e.RowKey,
            Title = e.GetString("Title") ?? e.RowKey,
            Published = DateOnly.ParseExact(e.GetString("Published") ?? "0001-01-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Introduction = introduction.Length == 0 ? null : introduction,
            SourceId = e.GetString("SourceId"),
            DocumentUrl = e.GetString("DocumentUrl"),
            ContentHash = e.GetString("ContentHash") ?? "",
            ImportedAt = e.GetDateTimeOffset("ImportedAt") ?? DateTimeOffset.MinValue,
            Counts = string.IsNullOrEmpty(counts) ? EditionCounts.Empty : JsonSerializer.Deserialize<EditionCounts>(counts, MeasureJson.Options)!,
            Members = JsonSerializer.Deserialize<Dictionary<string, string>>(MeasureStore.ReadText(e, "Members"), MeasureJson.Options) ?? [],
            Kept = JsonSerializer.Deserialize<string[]>(MeasureStore.ReadText(e, "Kept"), MeasureJson.Options) ?? [],
            Definition = MeasureJson.Deserialize<RadarDefinition>(MeasureStore.ReadText(e, "Definition")),
            OnRadar = onRadar.Length == 0 ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(onRadar, MeasureJson.Options),
        };
    }
}
