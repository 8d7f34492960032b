using System.Text.Json;
using Microsoft.Extensions.Options;
using Radar.Core.Measures;
using Radar.Core.News;
using Radar.Core.Search.Replication;

namespace Radar.Core.Search.Serving;

/// <summary>
/// The public reads (<see cref="IRadarReads"/>, <see cref="INewsReads"/>) from the snapshot this
/// instance has loaded (<see cref="IndexReplica"/>): no Table storage on a request's path. Radars,
/// editions and measures with their histories and states are read-model records in the same
/// Lucene commit as the search documents (<see cref="ReadRecords"/>), materialised once per loaded
/// commit (they are small); news are queried from the news documents (their stored
/// <see cref="NewsItem"/>, listed by <see cref="NewsListingTerms"/>, newest first). What a
/// writer writes is read here from the next generation on; a measure not in the snapshot yet is
/// unknown (a 404).
/// </summary>
public sealed class SnapshotReads(IndexReplica replica, DefaultRadar defaultRadar, IOptions<SearchOptions> options) : IRadarReads, INewsReads
{
    private readonly Lock _gate = new();
    private SnapshotModel? _model;

    /// <summary>The materialised records of the commit loaded now (built on first use of a commit).</summary>
    public SnapshotModel Current()
    {
        using var use = Acquire();
        return ModelOf(use.Index);
    }

    /// <summary>The loaded commit's records: a new object with every newly loaded generation.</summary>
    public object? Version => Current();

    public Task<string?> DefaultRadarIdAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Current().DefaultRadarId);

    public Task<RadarRecord?> GetRadarRecordAsync(string radarId, CancellationToken cancellationToken) =>
        Task.FromResult(Current().Radars.GetValueOrDefault(radarId)?.Radar);

    public Task<IReadOnlyList<RadarRecord>> ListRadarRecordsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RadarRecord>>([.. Current().Radars.Values.Select(r => r.Radar).OrderBy(r => r.Id, StringComparer.Ordinal)]);

    public Task<IReadOnlyList<StoredMeasure>> ListMeasuresAsync(string radarId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredMeasure>>([.. Current().MeasuresOf(radarId).Select(m => m.Measure)]);

    public Task<StoredMeasure?> GetMeasureAsync(string radarId, string measureId, CancellationToken cancellationToken) =>
        Task.FromResult(Current().Measure(radarId, measureId)?.Measure);

    public Task<IReadOnlyList<MeasureChange>> GetHistoryAsync(string radarId, string measureId, CancellationToken cancellationToken) =>
        Task.FromResult(Current().Measure(radarId, measureId)?.History ?? []);

    public Task<IReadOnlyList<MeasureChange>> ListHistoryAsync(string radarId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MeasureChange>>([.. Current().MeasuresOf(radarId)
            .OrderBy(m => "h|" + m.Measure.Measure.Id + "|", StringComparer.Ordinal)
            .SelectMany(m => m.History)]);

    public Task<IReadOnlyList<MeasureChange>> GetLatestChangesAsync(string radarId, int take, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MeasureChange>>([.. Current().LatestChanges(radarId).Take(take)]);

    public Task<IReadOnlyList<TimelineState>> ListStatesAsync(string radarId, string? measureId, CancellationToken cancellationToken)
    {
        var model = Current();
        IReadOnlyList<TimelineState> states = measureId is null
            ? model.States(radarId)
            : model.Measure(radarId, measureId)?.States ?? [];
        return Task.FromResult(states);
    }

    public Task<IReadOnlyList<Edition>> ListEditionsAsync(string radarId, CancellationToken cancellationToken) =>
        Task.FromResult(Current().Radars.GetValueOrDefault(radarId)?.Editions ?? []);

    public Task<Edition?> GetEditionAsync(string radarId, string editionId, CancellationToken cancellationToken) =>
        Task.FromResult(Current().Radars.GetValueOrDefault(radarId)?.Editions.FirstOrDefault(e => e.Id == editionId));

    Task<NewsItem?> INewsReads.GetAsync(string key, CancellationToken cancellationToken)
    {
        using var use = Acquire();
        return Task.FromResult(use.Index.ListedRecord(key, DecodeNews));
    }

    Task<NewsPage> INewsReads.ListAsync(NewsQuery query, CancellationToken cancellationToken)
    {
        List<string> terms = [NewsListingTerms.All];
        if (query.Source is { } source)
        {
            terms.Add(NewsListingTerms.Source(source));
        }

        if (query.Tag is { } tag)
        {
            terms.Add(NewsListingTerms.Tag(tag));
        }

        using var use = Acquire();
        var (records, hasMore) = use.Index.ListRecords(terms, (query.Page - 1) * query.PageSize, query.PageSize, DecodeNews);
        var items = records
            .Select(i => new NewsListEntry(i.Key, i.Title, i.Link, i.Published, i.PublishedFrom, i.Summary, i.Author, i.Tags, i.Language, i.Sources, i.RelatedMeasures))
            .ToList();
        return Task.FromResult(new NewsPage(query.Page, query.PageSize, hasMore, query.Source, query.Tag, items));
    }

    /// <summary>The news related to a measure in the loaded snapshot, newest first.</summary>
    public IReadOnlyList<NewsItem> RelatedNews(string radarId, string measureId, int take)
    {
        using var use = Acquire();
        return use.Index.RelatedRecords(SearchDocument.RelatedKey(radarId, measureId), take, DecodeNews);
    }

    private static NewsItem DecodeNews(string json) => JsonSerializer.Deserialize<NewsItem>(json, RecordJson.Options)!;

    private IndexUse Acquire() => replica.Acquire() ?? throw new SnapshotUnavailableException("No snapshot of the published index is loaded on this instance yet; try again shortly.", options.Value.RefreshInterval);

    private SnapshotModel ModelOf(RadarIndex index)
    {
        var model = Volatile.Read(ref _model);
        if (model is not null && ReferenceEquals(model.Index, index) && model.Generation == index.Generation)
        {
            return model;
        }

        lock (_gate)
        {
            model = _model;
            if (model is not null && ReferenceEquals(model.Index, index) && model.Generation == index.Generation)
            {
                return model;
            }

            var (generation, records) = index.ReadRecords(ReadRecords.RadarKind, ReadRecords.MeasureKind);
            model = SnapshotModel.Build(index, generation, records, defaultRadar);
            Volatile.Write(ref _model, model);
            return model;
        }
    }
}

/// <summary>One loaded commit's radars, editions and measures, in the tables' orders.</summary>
public sealed class SnapshotModel
{
    private readonly Dictionary<string, Dictionary<string, MeasureReadRecord>> _measures;
    private readonly Dictionary<string, IReadOnlyList<MeasureReadRecord>> _measureLists;
    private readonly Dictionary<string, IReadOnlyList<MeasureChange>> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<TimelineState>> _states = new(StringComparer.Ordinal);

    private SnapshotModel(RadarIndex index, long generation, IReadOnlyDictionary<string, RadarReadRecord> radars,
        Dictionary<string, Dictionary<string, MeasureReadRecord>> measures, string? defaultRadarId)
    {
        Index = index;
        Generation = generation;
        Radars = radars;
        _measures = measures;
        DefaultRadarId = defaultRadarId;
        _measureLists = measures.ToDictionary(
            m => m.Key,
            m => (IReadOnlyList<MeasureReadRecord>)[.. m.Value.Values.OrderBy(r => MeasureStore.MeasureKey(r.Measure.Measure.Id), StringComparer.Ordinal)],
            StringComparer.Ordinal);
        foreach (var (radarId, list) in _measureLists)
        {
            _latest[radarId] = [.. list.SelectMany(m => m.History).OrderBy(MeasureStore.ChangeKey, StringComparer.Ordinal)];
            _states[radarId] = [.. list.SelectMany(m => m.States).OrderBy(MeasureStore.StateKey, StringComparer.Ordinal)];
        }
    }

    internal RadarIndex Index { get; }

    public long Generation { get; }

    /// <summary>Radars with a definition, by id.</summary>
    public IReadOnlyDictionary<string, RadarReadRecord> Radars { get; }

    public string? DefaultRadarId { get; }

    public IReadOnlyList<MeasureReadRecord> MeasuresOf(string radarId) => _measureLists.GetValueOrDefault(radarId) ?? [];

    public MeasureReadRecord? Measure(string radarId, string measureId) =>
        _measures.TryGetValue(radarId, out var byId) ? byId.GetValueOrDefault(measureId) : null;

    public IReadOnlyList<MeasureChange> LatestChanges(string radarId) => _latest.GetValueOrDefault(radarId) ?? [];

    public IReadOnlyList<TimelineState> States(string radarId) => _states.GetValueOrDefault(radarId) ?? [];

    internal static SnapshotModel Build(RadarIndex index, long generation, IReadOnlyList<string> records, DefaultRadar defaultRadar)
    {
        var radars = new Dictionary<string, RadarReadRecord>(StringComparer.Ordinal);
        var measures = new Dictionary<string, Dictionary<string, MeasureReadRecord>>(StringComparer.Ordinal);
        foreach (var json in records)
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.TryGetProperty("radar", out _))
            {
                var radar = document.RootElement.Deserialize<RadarReadRecord>(RecordJson.Options)!;
                if (radar.Radar.Definition is not null)
                {
                    radars[radar.Radar.Id] = radar;
                }
            }
            else
            {
                var measure = document.RootElement.Deserialize<MeasureReadRecord>(RecordJson.Options)!;
                if (!measures.TryGetValue(measure.Measure.RadarId, out var byId))
                {
                    measures[measure.Measure.RadarId] = byId = new Dictionary<string, MeasureReadRecord>(StringComparer.Ordinal);
                }

                byId[measure.Measure.Measure.Id] = measure;
            }
        }

        // Measures of a radar the snapshot does not define are not shown (as with the tables,
        // where a radar without a definition is no radar).
        var defaultId = defaultRadar.Choose([.. radars.Values.Select(r => (r.Radar.Definition!, r.Radar.SourceId))]);
        return new SnapshotModel(index, generation, radars, measures, defaultId);
    }
}
