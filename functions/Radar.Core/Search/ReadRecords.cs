using System.Text.Json;
using Radar.Core.Measures;
using Radar.Core.News.Normalising;

namespace Radar.Core.Search;

/// <summary>The JSON form of read-model records: the measures' own (camelCase, nulls left out).</summary>
public static class RecordJson
{
    public static JsonSerializerOptions Options => MeasureJson.Options;
}

/// <summary>The exact terms the news listing filters by (<see cref="SearchDocument.ListedUnder"/>).</summary>
public static class NewsListingTerms
{
    public const string All = "all";

    public static string Source(string sourceId) => "s:" + sourceId;

    public static string Tag(string tag) => "t:" + NewsTags.Fold(tag);
}

/// <summary>A radar as the public routes read it: its row (definition, owner, version, first
/// import) and its editions, oldest first.</summary>
public sealed record RadarReadRecord(RadarRecord Radar, IReadOnlyList<Edition> Editions);

/// <summary>A measure as the public routes read it: its current (or last) state, its history
/// newest first and its timeline states in order.</summary>
public sealed record MeasureReadRecord(StoredMeasure Measure, IReadOnlyList<MeasureChange> History, IReadOnlyList<TimelineState> States);

/// <summary>
/// The read-model records of radars, read from the tables: one record document per radar and one
/// per measure, written into the index in the same update as the search documents (the rebuild,
/// and the feed after every measures write), so they share its generation and its replication.
/// </summary>
public static class ReadRecords
{
    public const string RadarKind = "radar";
    public const string MeasureKind = "measure";

    public static string RecordId(string kind, string id) => kind + ":" + id;

    /// <summary>Every record of one radar, from the tables; empty when it has no definition.</summary>
    public static async Task<IReadOnlyList<SearchDocument>> ReadAsync(MeasureStore store, EditionStore editions, string radarId, CancellationToken cancellationToken)
    {
        var record = await store.GetRadarRecordAsync(radarId, cancellationToken);
        if (record?.Definition is null)
        {
            return [];
        }

        var editionsTask = editions.ListAsync(radarId, cancellationToken);
        var measuresTask = store.ListMeasuresAsync(radarId, cancellationToken);
        var historyTask = store.ListHistoryAsync(radarId, cancellationToken);
        var statesTask = store.ListStatesAsync(radarId, null, cancellationToken);
        var history = (await historyTask).ToLookup(c => c.MeasureId, StringComparer.Ordinal);
        var states = (await statesTask).ToLookup(s => s.MeasureId, StringComparer.Ordinal);
        var documents = new List<SearchDocument> { Document(radarId, RadarKind, radarId, new RadarReadRecord(record, await editionsTask)) };
        foreach (var measure in await measuresTask)
        {
            var id = measure.Measure.Id;
            documents.Add(Document(radarId, MeasureKind, id, new MeasureReadRecord(measure, [.. history[id]], [.. states[id]])));
        }

        return documents;
    }

    private static SearchDocument Document<T>(string radarId, string kind, string id, T content) => new()
    {
        Type = SearchDocumentTypes.Record,
        Id = RecordId(kind, id),
        RadarId = radarId,
        Title = "",
        Record = JsonSerializer.Serialize(content, RecordJson.Options),
    };
}
