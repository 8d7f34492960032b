using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Radar.Core.Search.Analysis;
using Radar.Core.Search.Querying;

namespace Radar.Core.Search;

/// <summary>
/// Completions for what a user has typed so far (<see cref="Completions"/>), bounded, with the
/// answers for one or two letters kept per searcher: they scan the most terms and are what
/// everybody types first. A refresh (a new reader) starts afresh.
/// </summary>
internal sealed class Suggester(RadarAnalyzers analyzers)
{
    public const int MaxTypedLength = 100;
    public const int MaxCount = 20;
    private const int ShortLength = 2;
    private const int MaxCachedAnswers = 10_000;

    private readonly ConditionalWeakTable<IndexReader, ConcurrentDictionary<string, SuggestResponse>> _short = new();
    private readonly ConditionalWeakTable<IndexReader, ConcurrentDictionary<string, IBits>> _accepted = new();

    /// <param name="radar">Only what this radar's documents have (null: every radar).</param>
    public SuggestResponse Suggest(IndexReader reader, string typed, int count, string? radar = null)
    {
        var text = typed ?? string.Empty;
        text = text.Length > MaxTypedLength ? text[..MaxTypedLength] : text;
        count = Math.Clamp(count, 1, MaxCount);
        radar = string.IsNullOrWhiteSpace(radar) ? null : GermanFolding.Fold(radar.Trim());
        var accept = Accepted(reader, radar);
        if (text.Trim().Length > ShortLength)
        {
            return Completions.Suggest(reader, analyzers, text, count, accept);
        }
        var answers = _short.GetValue(reader, _ => new ConcurrentDictionary<string, SuggestResponse>(StringComparer.Ordinal));
        var key = text + "\u0001" + count + "\u0001" + radar;
        return answers.Count < MaxCachedAnswers
            ? answers.GetOrAdd(key, _ => Completions.Suggest(reader, analyzers, text, count, accept))
            : Completions.Suggest(reader, analyzers, text, count, accept);
    }

    /// <summary>
    /// The documents a completion may come from: live ones that a search lists by default
    /// (<see cref="SearchDocumentTypes.ListedByDefault"/>: a change's title would complete to the
    /// change, not its measure), of the radar when one is given. Kept per reader and radar.
    /// </summary>
    private IBits Accepted(IndexReader reader, string? radar)
    {
        var sets = _accepted.GetValue(reader, _ => new ConcurrentDictionary<string, IBits>(StringComparer.Ordinal));
        if (sets.Count > MaxCachedRadars)
        {
            sets.Clear();
        }
        return sets.GetOrAdd(radar ?? string.Empty, _ =>
        {
            var live = MultiFields.GetLiveDocs(reader);
            var bits = new FixedBitSet(Math.Max(reader.MaxDoc, 1));
            var terms = radar is null
                ? SearchDocumentTypes.ListedByDefault.Select(type => (SearchFields.Filter(SearchFields.Type), type))
                : [(SearchFields.Filter(SearchFields.Radar), radar)];
            foreach (var (field, value) in terms)
            {
                var docs = MultiFields.GetTermDocsEnum(reader, live, field, new BytesRef(value));
                while (docs is not null && docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
                {
                    bits.Set(docs.DocID);
                }
            }
            if (radar is not null)
            {
                // Of the radar's documents, those listed by default.
                var listed = new FixedBitSet(bits.Length);
                foreach (var type in SearchDocumentTypes.ListedByDefault)
                {
                    var docs = MultiFields.GetTermDocsEnum(reader, live, SearchFields.Filter(SearchFields.Type), new BytesRef(type));
                    while (docs is not null && docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
                    {
                        listed.Set(docs.DocID);
                    }
                }
                bits.And(listed);
            }
            return bits;
        });
    }

    private const int MaxCachedRadars = 100;
}
