using System.Text;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Radar.Core.Search.Querying;

/// <summary>
/// Highlighted snippets from the offsets the index stores with each posting: no text is analysed
/// again at query time (re-running compound splitting in the classic Highlighter cost ~10 ms a
/// query). For each hit, the query's terms are looked up in the hit's postings; the field with the
/// most distinct matched terms (summary before body) gives the snippet.
/// </summary>
internal static class Snippets
{
    public const int Window = 200;
    public static readonly string[] Fields = [SearchFields.Summary, SearchFields.Body];

    internal readonly record struct Span(int Start, int End, int Term);

    /// <summary>The query's terms per snippet field (negated ones included: a hit has none of them).</summary>
    public static Dictionary<string, List<BytesRef>> TermsOf(Query query)
    {
        var byField = new Dictionary<string, List<BytesRef>>(StringComparer.Ordinal);
        Collect(query, byField);
        return byField;
    }

    private static void Collect(Query query, Dictionary<string, List<BytesRef>> byField)
    {
        switch (query)
        {
            case BooleanQuery boolean:
                foreach (var clause in boolean.Clauses)
                {
                    Collect(clause.Query, byField);
                }
                break;
            case TermQuery term:
                Add(byField, term.Term.Field, term.Term.Bytes);
                break;
            case PhraseQuery phrase:
                foreach (var term in phrase.GetTerms())
                {
                    Add(byField, term.Field, term.Bytes);
                }
                break;
            case MultiPhraseQuery multi:
                foreach (var terms in multi.GetTermArrays())
                {
                    foreach (var term in terms)
                    {
                        Add(byField, term.Field, term.Bytes);
                    }
                }
                break;
            case ExpandedTermsQuery expanded:
                foreach (var term in expanded.ExpandedTerms)
                {
                    Add(byField, expanded.Field, term);
                }
                break;
            case ConstantScoreQuery { Query: not null } constant:
                Collect(constant.Query, byField);
                break;
        }
    }

    private static void Add(Dictionary<string, List<BytesRef>> byField, string field, BytesRef term)
    {
        if (!Fields.Contains(field))
        {
            return;
        }
        if (!byField.TryGetValue(field, out var list))
        {
            byField[field] = list = [];
        }
        if (!list.Contains(term))
        {
            list.Add(BytesRef.DeepCopyOf(term));
        }
    }

    /// <summary>Where the terms occur in each hit: (doc, field) → spans, read from the postings.</summary>
    public static Dictionary<(int Doc, string Field), List<Span>> Find(IndexReader reader, IReadOnlyList<int> docs, Dictionary<string, List<BytesRef>> terms)
    {
        var found = new Dictionary<(int, string), List<Span>>();
        if (terms.Count == 0 || docs.Count == 0)
        {
            return found;
        }
        var leaves = reader.Leaves;
        foreach (var group in docs.GroupBy(doc => ReaderUtil.SubIndex(doc, leaves)))
        {
            var leaf = leaves[group.Key];
            var local = group.Select(doc => doc - leaf.DocBase).Order().ToArray();
            // One postings reader per segment, reused across its fields where the codec allows:
            // opening a fresh one per field cloned the segment's files each time.
            DocsAndPositionsEnum? postings = null;
            foreach (var (field, fieldTerms) in terms)
            {
                var indexed = leaf.AtomicReader.GetTerms(field);
                if (indexed is null)
                {
                    continue;
                }
                var enumerator = indexed.GetEnumerator();
                for (var t = 0; t < fieldTerms.Count; t++)
                {
                    if (!enumerator.SeekExact(fieldTerms[t]))
                    {
                        continue;
                    }
                    postings = enumerator.DocsAndPositions(null, postings, DocsAndPositionsFlags.OFFSETS);
                    if (postings is null)
                    {
                        continue;
                    }
                    foreach (var doc in local)
                    {
                        var at = postings.DocID < doc ? postings.Advance(doc) : postings.DocID;
                        if (at == DocIdSetIterator.NO_MORE_DOCS)
                        {
                            break;
                        }
                        if (at != doc)
                        {
                            continue;
                        }
                        var key = (leaf.DocBase + doc, field);
                        if (!found.TryGetValue(key, out var spans))
                        {
                            found[key] = spans = [];
                        }
                        for (var i = postings.Freq; i > 0; i--)
                        {
                            postings.NextPosition();
                            if (postings.StartOffset >= 0 && postings.EndOffset > postings.StartOffset)
                            {
                                spans.Add(new Span(postings.StartOffset, postings.EndOffset, t));
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    /// <summary>The best field to cut the snippet from: most distinct matched terms, summary first.</summary>
    public static string? BestField(int doc, Dictionary<(int Doc, string Field), List<Span>> spans)
    {
        string? best = null;
        var bestCount = 0;
        foreach (var field in Fields)
        {
            if (spans.TryGetValue((doc, field), out var list))
            {
                var distinct = list.Select(span => span.Term).Distinct().Count();
                if (distinct > bestCount)
                {
                    best = field;
                    bestCount = distinct;
                }
            }
        }
        return best;
    }

    /// <summary>HTML-escaped text around the densest hits, with &lt;mark&gt; around each hit.</summary>
    public static string Build(string text, List<Span>? spans)
    {
        if (spans is null || spans.Count == 0)
        {
            var cut = Math.Min(text.Length, Window);
            cut = WordEnd(text, cut);
            return Escape(text.AsSpan(0, cut)) + (cut < text.Length ? " …" : string.Empty);
        }
        var merged = Merge(spans, text.Length);
        // The window that starts at the hit with the most distinct terms within reach.
        var anchor = 0;
        var bestScore = -1;
        for (var i = 0; i < merged.Count; i++)
        {
            var reach = merged[i].Start + Window;
            var distinct = new HashSet<int>();
            var count = 0;
            for (var j = i; j < merged.Count && merged[j].End <= reach; j++)
            {
                distinct.Add(merged[j].Term);
                count++;
            }
            var score = (distinct.Count * 100) + count;
            if (score > bestScore)
            {
                bestScore = score;
                anchor = i;
            }
        }
        var start = SnippetStart(text, merged[anchor].Start);
        var end = Math.Min(text.Length, Math.Max(start + Window, merged[anchor].End));
        foreach (var span in merged)
        {
            if (span.Start < end && span.End > end)
            {
                end = span.End;
            }
        }
        end = WordEnd(text, end);

        var html = new StringBuilder(end - start + 64);
        if (start > 0)
        {
            html.Append("… ");
        }
        var position = start;
        foreach (var span in merged)
        {
            if (span.End <= start || span.Start >= end)
            {
                continue;
            }
            var from = Math.Max(span.Start, position);
            html.Append(Escape(text.AsSpan(position, from - position)));
            html.Append("<mark>").Append(Escape(text.AsSpan(from, span.End - from))).Append("</mark>");
            position = span.End;
        }
        html.Append(Escape(text.AsSpan(position, end - position)));
        if (end < text.Length)
        {
            html.Append(" …");
        }
        return html.ToString();
    }

    private static List<Span> Merge(List<Span> spans, int length)
    {
        var sorted = spans.Where(span => span.End <= length).OrderBy(span => span.Start).ThenByDescending(span => span.End).ToList();
        var merged = new List<Span>(sorted.Count);
        foreach (var span in sorted)
        {
            if (merged.Count > 0 && span.Start < merged[^1].End)
            {
                var last = merged[^1];
                merged[^1] = last with { End = Math.Max(last.End, span.End) };
                continue;
            }
            merged.Add(span);
        }
        return merged;
    }

    // Start at the sentence the hit is in when that is close, else a few words before the hit.
    private static int SnippetStart(string text, int hit)
    {
        var earliest = Math.Max(0, hit - 80);
        for (var i = hit - 1; i >= earliest; i--)
        {
            if (i > 0 && char.IsWhiteSpace(text[i]) && text[i - 1] is '.' or '!' or '?' or ':')
            {
                return i + 1;
            }
        }
        if (hit <= 80)
        {
            return 0;
        }
        var start = hit - 40;
        while (start < hit && !char.IsWhiteSpace(text[start - 1]))
        {
            start++;
        }
        return start;
    }

    private static int WordEnd(string text, int end)
    {
        var limit = Math.Min(text.Length, end + 20);
        while (end < limit && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }
        return end;
    }

    public static string Escape(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                '\'' => builder.Append("&#39;"),
                _ => builder.Append(c),
            };
        }
        return builder.ToString();
    }
}
