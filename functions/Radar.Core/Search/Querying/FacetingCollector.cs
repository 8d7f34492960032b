using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Radar.Core.Search.Querying;

/// <summary>
/// Collects the top hits (through the wrapped collector) and, in the same pass, counts the facet
/// values of every match from the segment's <see cref="SegmentColumns"/>. A match of one of the
/// <paramref name="unlisted"/> types is counted in the type facet only: it is neither a hit nor in
/// the total or the other facets (what a search lists by default, see
/// SearchDocumentTypes.ListedByDefault).
/// </summary>
internal sealed class FacetingCollector(ICollector top, IReadOnlyCollection<string>? unlisted = null) : ICollector
{
    private const int FacetCount = 6;

    private readonly Dictionary<string, int>[] _totals = [.. Enumerable.Range(0, FacetCount).Select(_ => new Dictionary<string, int>(StringComparer.Ordinal))];

    private SegmentColumns? _columns;
    private int[] _type = [], _area = [], _status = [], _department = [], _year = [], _radar = [];
    private int[] _typeOrds = [], _areaOrds = [], _statusOrds = [], _yearOrds = [], _radarOrds = [];
    private int[] _departmentStarts = [], _departmentOrds = [];
    private bool[] _unlistedTypes = [];

    public int TotalHits { get; private set; }

    public bool AcceptsDocsOutOfOrder => top.AcceptsDocsOutOfOrder;

    public void SetScorer(Scorer scorer) => top.SetScorer(scorer);

    public void SetNextReader(AtomicReaderContext context)
    {
        Flush();
        top.SetNextReader(context);
        var columns = SegmentColumns.For(context.AtomicReader);
        _columns = columns;
        _typeOrds = columns.Type.Ords;
        _areaOrds = columns.Area.Ords;
        _statusOrds = columns.Status.Ords;
        _yearOrds = columns.Year.Ords;
        _radarOrds = columns.Radar.Ords;
        _departmentStarts = columns.Department.Starts;
        _departmentOrds = columns.Department.Ords;
        _type = new int[columns.Type.Labels.Length + 1];
        _area = new int[columns.Area.Labels.Length + 1];
        _status = new int[columns.Status.Labels.Length + 1];
        _year = new int[columns.Year.Labels.Length + 1];
        _radar = new int[columns.Radar.Labels.Length + 1];
        _department = new int[columns.Department.Labels.Length];
        // Per type ordinal, whether matches of it are only counted. Index 0, no type, is a read-model
        // record (stored JSON, see SearchDocumentTypes.Record): never a hit.
        _unlistedTypes = [true, .. columns.Type.Labels.Select(label => unlisted?.Contains(label) == true)];
    }

    public void Collect(int doc)
    {
        // Index 0 counts "no value" (ordinal -1), so there is no branch per document.
        var type = _typeOrds[doc] + 1;
        _type[type]++;
        if (_unlistedTypes[type])
        {
            return;
        }
        top.Collect(doc);
        TotalHits++;
        _area[_areaOrds[doc] + 1]++;
        _status[_statusOrds[doc] + 1]++;
        _year[_yearOrds[doc] + 1]++;
        _radar[_radarOrds[doc] + 1]++;
        var end = _departmentStarts[doc + 1];
        for (var i = _departmentStarts[doc]; i < end; i++)
        {
            _department[_departmentOrds[i]]++;
        }
    }

    public FacetCounts Facets()
    {
        Flush();
        return new FacetCounts(
            Sorted(_totals[0]),
            Sorted(_totals[1]),
            Sorted(_totals[2]),
            Sorted(_totals[3]),
            _totals[4].OrderByDescending(pair => pair.Key, StringComparer.Ordinal)
                .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal),
            Sorted(_totals[5]));
    }

    // Most frequent first; JSON objects keep insertion order, so the answer reads top-down.
    private static Dictionary<string, int> Sorted(Dictionary<string, int> counts) =>
        counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    private void Flush()
    {
        if (_columns is null)
        {
            return;
        }
        Add(_totals[0], _type, _columns.Type.Labels, offset: 1);
        Add(_totals[1], _area, _columns.Area.Labels, offset: 1);
        Add(_totals[2], _status, _columns.Status.Labels, offset: 1);
        Add(_totals[3], _department, _columns.Department.Labels, offset: 0);
        Add(_totals[4], _year, _columns.Year.Labels, offset: 1);
        Add(_totals[5], _radar, _columns.Radar.Labels, offset: 1);
        _columns = null;
    }

    private static void Add(Dictionary<string, int> totals, int[] counts, string[] labels, int offset)
    {
        for (var ord = 0; ord < labels.Length; ord++)
        {
            var count = counts[ord + offset];
            if (count > 0)
            {
                totals[labels[ord]] = totals.GetValueOrDefault(labels[ord]) + count;
            }
        }
    }
}

/// <summary>Matches per facet value: type, area, status, department and radar most frequent
/// first, years newest first.</summary>
internal sealed record FacetCounts(
    IReadOnlyDictionary<string, int> Type,
    IReadOnlyDictionary<string, int> Area,
    IReadOnlyDictionary<string, int> Status,
    IReadOnlyDictionary<string, int> Department,
    IReadOnlyDictionary<string, int> Year,
    IReadOnlyDictionary<string, int> Radar);
