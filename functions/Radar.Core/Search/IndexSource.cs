using Microsoft.Extensions.Logging;
using Radar.Core.Measures;
using Radar.Core.News;

namespace Radar.Core.Search;

/// <summary>Everything the index holds, read from the tables, with counts per type.</summary>
public sealed record IndexContent(IReadOnlyList<SearchDocument> Documents, IReadOnlyDictionary<string, int> Counts);

/// <summary>
/// Reads the record (the tables) into search documents: every radar's measures that are on it
/// (a removed measure is not a measure document; its changes, the removal included, are),
/// every change of every radar, every news item, and the read-model records of every radar
/// (<see cref="ReadRecords"/>). What a rebuild indexes.
/// </summary>
public sealed class IndexSource(
    MeasureStore measures,
    EditionStore editions,
    NewsStore news,
    DefaultRadar defaultRadar,
    RelatedScope scope,
    ILogger<IndexSource> logger)
{
    public async Task<IndexContent> ReadAllAsync(CancellationToken cancellationToken)
    {
        var documents = new List<SearchDocument>();
        var defaultId = await defaultRadar.IdAsync(cancellationToken);
        foreach (var (radar, _) in await measures.ListRadarEntriesAsync(cancellationToken))
        {
            var stored = await measures.ListMeasuresAsync(radar.Id, cancellationToken);
            var byId = stored.ToDictionary(m => m.Measure.Id, StringComparer.Ordinal);
            var onRadar = stored.Where(m => !m.Removed).ToList();
            documents.AddRange(onRadar.Select(m => SearchDocumentMapper.Measure(m, radar, defaultId)));
            var changes = await measures.GetLatestChangesAsync(radar.Id, int.MaxValue, cancellationToken);
            documents.AddRange(changes.Select(c => SearchDocumentMapper.Change(c, radar, byId.GetValueOrDefault(c.MeasureId)?.Measure, defaultId)));
            documents.AddRange(await ReadRecords.ReadAsync(measures, editions, radar.Id, cancellationToken));
            logger.LogInformation("Index source: radar {Radar}: {Measures} measures on the radar ({Removed} removed, not indexed as measures), {Changes} changes",
                radar.Id, onRadar.Count, stored.Count - onRadar.Count, changes.Count);
        }

        var items = 0;
        await foreach (var item in news.ListAllAsync(cancellationToken))
        {
            documents.Add(SearchDocumentMapper.News(item, await scope.RadarOfAsync(item, cancellationToken)));
            items++;
            if (items % 1000 == 0)
            {
                logger.LogInformation("Index source: {Items} news items read so far", items);
            }
        }

        logger.LogInformation("Index source: {Items} news items", items);
        var counts = SearchDocumentTypes.All.ToDictionary(t => t, t => documents.Count(d => d.Type == t), StringComparer.Ordinal);
        return new IndexContent(documents, counts);
    }
}
