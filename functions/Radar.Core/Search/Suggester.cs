using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Radar.Core.Search.Analysis;

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

    public SuggestResponse Suggest(IndexReader reader, string typed, int count)
    {
        var text = typed ?? string.Empty;
        text = text.Length > MaxTypedLength ? text[..MaxTypedLength] : text;
        count = Math.Clamp(count, 1, MaxCount);
        if (text.Trim().Length > ShortLength)
        {
            return Completions.Suggest(reader, analyzers, text, count);
        }
        var answers = _short.GetValue(reader, _ => new ConcurrentDictionary<string, SuggestResponse>(StringComparer.Ordinal));
        return answers.Count < MaxCachedAnswers
            ? answers.GetOrAdd(text + "\u0001" + count, _ => Completions.Suggest(reader, analyzers, text, count))
            : Completions.Suggest(reader, analyzers, text, count);
    }
}
