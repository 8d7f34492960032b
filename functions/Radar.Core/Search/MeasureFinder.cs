using Lucene.Net.Search;
using Radar.Core.Search.Querying;

namespace Radar.Core.Search;

/// <summary>
/// The measures a text is about (a news item's title and summary): every word of the text may
/// match (<see cref="QueryBuilder.AnyWord"/>), measures only, of the given radar when there is
/// one. Best first; only those scoring at least the floor (an absolute minimum, and a share of
/// the best score).
/// </summary>
internal static class MeasureFinder
{
    public static IReadOnlyList<(string Id, string? Radar, float Score)> Find(
        IndexSearcher searcher, QueryBuilder queries, string text, string? radarId, int max, float minScore, float relativeScore)
    {
        if (queries.AnyWord(text) is not { } query)
        {
            return [];
        }
        var filter = queries.FilterFor(new SearchRequest
        {
            Types = [SearchDocumentTypes.Measure],
            Radars = string.IsNullOrWhiteSpace(radarId) ? [] : [radarId],
        });
        var top = searcher.Search(query, filter, Math.Clamp(max, 1, 100)).ScoreDocs;
        if (top.Length == 0)
        {
            return [];
        }
        var floor = Math.Max(minScore, top[0].Score * relativeScore);
        return top.Where(hit => hit.Score >= floor)
            .Select(hit => (Record: HitRecord.Read(searcher.IndexReader, hit.Doc, withBody: false).Hit, hit.Score))
            .Where(hit => hit.Record is not null)
            .Select(hit => (hit.Record!.Id, hit.Record.Radar, hit.Score))
            .ToList();
    }
}
