using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Radar.Core.Search.Analysis;
using Radar.Core.Search.Querying;

namespace Radar.Core.Search;

/// <summary>
/// Completions and spelling corrections, both from terms the index already has: every document
/// adds its title (once from each word on, so "wla" finds "Öffentliches WLAN"), its tags and the
/// words of its title, tags and summary to the <c>complete</c> field as "kind, folded key, shown
/// text"; a completion is a seek in that field's sorted term dictionary and a short scan. The
/// folded words also go to the <c>spell</c> field, where "did you mean" looks for near spellings.
/// </summary>
internal static class Completions
{
    private const char Separator = '\u0001';
    private const string TitleKind = "t";
    private const string TagKind = "g";
    private const string WordKind = "w";
    private const int MaxTitleStarts = 8;
    private const int MaxKeyLength = 40;
    private const int MaxScan = 1000;
    private const int MaxTitleScan = 300;

    public readonly record struct Entries(List<string> Complete, List<string> Spell);

    /// <summary>A query respelled: the text, and whether it is sure enough to be searched instead.</summary>
    public sealed record Respelling(string Text, bool Sure);

    public static Entries For(SearchDocument document, string title, string? summary, RadarAnalyzers analyzers)
    {
        var complete = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, start, _) in Words(analyzers, title).Take(MaxTitleStarts))
        {
            var key = Key(title[start..]);
            if (key.Length > 0 && seen.Add(key))
            {
                complete.Add(string.Join(Separator, TitleKind + key, title, document.Type, document.Id, document.Url ?? string.Empty));
            }
        }
        foreach (var tag in document.Tags)
        {
            var key = Key(tag);
            if (key.Length > 0 && seen.Add(TagKind + key))
            {
                complete.Add(TagKind + key + Separator + tag.Trim());
            }
        }
        var spell = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in document.Tags.Append(title).Append(summary ?? string.Empty))
        {
            foreach (var (word, _, _) in Words(analyzers, text))
            {
                var folded = GermanFolding.Fold(word);
                if (folded.Length < 3 || folded.All(char.IsDigit) || analyzers.IsStopWord(folded))
                {
                    continue;
                }
                spell.Add(folded);
                var entry = WordKind + folded + Separator + word;
                if (seen.Add(entry))
                {
                    complete.Add(entry);
                }
            }
        }
        return new Entries(complete, [.. spell]);
    }

    /// <param name="accept">The documents a completion may come from (live ones, see
    /// Suggester); a word or title is offered only when one of them has it.</param>
    public static SuggestResponse Suggest(IndexReader reader, RadarAnalyzers analyzers, string typed, int count, IBits accept)
    {
        var text = SearchText.Clean(typed).Trim();
        var key = Key(text);
        if (key.Length == 0)
        {
            return new SuggestResponse(text, []);
        }
        var terms = MultiFields.GetTerms(reader, SearchFields.Complete);
        if (terms is null)
        {
            return new SuggestResponse(text, []);
        }
        var live = accept;
        var enumerator = terms.GetEnumerator();

        // Words and tags complete the word being typed; what came before it stays.
        var lastSpace = text.LastIndexOf(' ');
        var before = lastSpace < 0 ? string.Empty : text[..(lastSpace + 1)];
        var lastKey = Key(text[(lastSpace + 1)..]);
        var words = new Dictionary<string, (string Kind, long Weight, List<BytesRef> Terms)>(StringComparer.OrdinalIgnoreCase);
        if (lastKey.Length > 0)
        {
            foreach (var (kind, prefix, factor) in new[] { ("tag", TagKind, 2L), ("term", WordKind, 1L) })
            {
                foreach (var (term, docFreq) in Scan(enumerator, prefix + lastKey, MaxScan))
                {
                    var value = term.Utf8ToString();
                    var shown = value[(value.IndexOf(Separator, StringComparison.Ordinal) + 1)..];
                    var existing = words.GetValueOrDefault(shown);
                    var list = existing.Terms ?? [];
                    list.Add(term);
                    words[shown] = (existing.Kind ?? kind, existing.Weight + (docFreq * factor), list);
                }
            }
        }
        // Frequencies include deleted documents until segments merge: check the few we show.
        var suggestions = new List<Suggestion>();
        foreach (var (shown, word) in words.OrderByDescending(w => w.Value.Weight).ThenBy(w => w.Key.Length).ThenBy(w => w.Key, StringComparer.Ordinal))
        {
            if (suggestions.Count >= Math.Max(1, count / 2))
            {
                break;
            }
            if (word.Terms.Any(term => Live(enumerator, term, live)))
            {
                suggestions.Add(new Suggestion { Text = before + shown, Kind = word.Kind });
            }
        }

        var titles = new List<(Suggestion Suggestion, bool AtStart, BytesRef Term)>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (term, _) in Scan(enumerator, TitleKind + key, MaxTitleScan))
        {
            var parts = term.Utf8ToString()[1..].Split(Separator);
            if (parts.Length >= 5 && ids.Add(parts[2] + "/" + parts[3]))
            {
                titles.Add((new Suggestion { Text = parts[1], Kind = "title", Type = parts[2], Id = parts[3], Url = parts[4].Length > 0 ? parts[4] : null },
                    Key(parts[1]).StartsWith(key, StringComparison.Ordinal), term));
            }
        }
        // Titles that start with what was typed before titles that only contain it.
        foreach (var (title, _, term) in titles.OrderByDescending(t => t.AtStart).ThenBy(t => t.Suggestion.Text.Length))
        {
            if (suggestions.Count >= count)
            {
                break;
            }
            if (Live(enumerator, term, live))
            {
                suggestions.Add(title);
            }
        }
        return new SuggestResponse(text, suggestions);
    }

    /// <summary>
    /// The query with each word that the index does not know replaced by the closest known word
    /// as written, or null when nothing was replaced. <see cref="Respelling.Sure"/> when every
    /// replaced word is one edit away, or two in a word of at least <see cref="SureTwoEdits"/>
    /// letters: then the respelled query may be searched in place of the typed one. ("Wahlen" is
    /// two edits from "warnen": a suggestion, not a correction.)
    /// </summary>
    public static Respelling? DidYouMean(IndexReader reader, RadarAnalyzers analyzers, string query)
    {
        var spell = MultiFields.GetTerms(reader, SearchFields.Spell);
        var complete = MultiFields.GetTerms(reader, SearchFields.Complete);
        if (spell is null || complete is null)
        {
            return null;
        }
        var corrected = query;
        var changed = false;
        var sure = true;
        foreach (var (word, start, end) in Enumerable.Reverse(Words(analyzers, query)))
        {
            // Excluded words and prefixes stay as typed.
            if ((start > 0 && query[start - 1] == '-') || (end < query.Length && query[end] == '*'))
            {
                continue;
            }
            var folded = GermanFolding.Fold(word);
            if (folded.Length < 4 || analyzers.IsStopWord(folded) || spell.GetEnumerator().SeekExact(new BytesRef(folded)))
            {
                continue;
            }
            var maxEdits = folded.Length is <= 5 or > 16 ? 1 : 2;
            var fuzzy = new FuzzyTermsEnum(spell, new AttributeSource(), new Term(SearchFields.Spell, folded), maxEdits, prefixLength: 1, transpositions: true);
            // Fewest edits first; then a word the typed one is in with a letter left out (the
            // commonest typo: "Datn" is "Daten" rather than "Data"); then the most frequent.
            (string Word, int Edits, bool Omission, int Freq)? best = null;
            while (fuzzy.MoveNext())
            {
                var candidate = fuzzy.Term.Utf8ToString();
                (string Word, int Edits, bool Omission, int Freq) found =
                    (candidate, Edits(folded, candidate), IsSubsequence(folded, candidate), fuzzy.DocFreq);
                if (best is not { } b || found.Edits < b.Edits
                    || (found.Edits == b.Edits && (found.Omission, found.Freq).CompareTo((b.Omission, b.Freq)) > 0))
                {
                    best = found;
                }
            }
            var shown = best is { } chosen ? Shown(complete, chosen.Word) : null;
            if (shown is not null)
            {
                corrected = string.Concat(corrected.AsSpan(0, start), shown, corrected.AsSpan(end));
                changed = true;
                sure &= best!.Value.Edits <= 1 || folded.Length >= SureTwoEdits;
            }
        }
        return changed ? new Respelling(corrected, sure) : null;
    }

    /// <summary>Shortest word in which a correction of two edits is searched in place of the typed one.</summary>
    public const int SureTwoEdits = 8;

    /// <summary>Edits between two words (optimal string alignment: insert, delete, substitute,
    /// swap two neighbours), as <see cref="FuzzyTermsEnum"/> counts them with transpositions.</summary>
    internal static int Edits(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }

    private static bool IsSubsequence(string typed, string word)
    {
        var i = 0;
        foreach (var c in word)
        {
            if (i < typed.Length && typed[i] == c)
            {
                i++;
            }
        }
        return i == typed.Length && word.Length > typed.Length;
    }

    // The most frequent way a folded word is written.
    private static string? Shown(Terms complete, string folded)
    {
        var enumerator = complete.GetEnumerator();
        var prefix = WordKind + folded + Separator;
        string? best = null;
        var bestFreq = 0;
        foreach (var (term, docFreq) in Scan(enumerator, prefix, MaxScan))
        {
            if (docFreq > bestFreq)
            {
                best = term.Utf8ToString()[prefix.Length..];
                bestFreq = docFreq;
            }
        }
        return best;
    }

    private static List<(BytesRef Term, int DocFreq)> Scan(TermsEnum enumerator, string prefix, int maxScan)
    {
        var found = new List<(BytesRef, int)>();
        var start = new BytesRef(prefix);
        if (enumerator.SeekCeil(start) == TermsEnum.SeekStatus.END)
        {
            return found;
        }
        do
        {
            var term = enumerator.Term;
            if (!StringHelper.StartsWith(term, start))
            {
                break;
            }
            found.Add((BytesRef.DeepCopyOf(term), enumerator.DocFreq));
        }
        while (found.Count < maxScan && enumerator.MoveNext());
        return found;
    }

    private static bool Live(TermsEnum enumerator, BytesRef term, IBits? live) =>
        enumerator.SeekExact(term) && enumerator.Docs(live, null, DocsFlags.NONE).NextDoc() != DocIdSetIterator.NO_MORE_DOCS;

    private static string Key(string text)
    {
        var key = GermanFolding.Fold(text.Trim());
        return key.Length <= MaxKeyLength ? key : key[..MaxKeyLength];
    }

    private static List<(string Word, int Start, int End)> Words(RadarAnalyzers analyzers, string text)
    {
        var words = new List<(string, int, int)>();
        if (string.IsNullOrEmpty(text))
        {
            return words;
        }
        using var stream = analyzers.Surface.GetTokenStream("surface", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offsets = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            words.Add((term.ToString(), offsets.StartOffset, offsets.EndOffset));
        }
        stream.End();
        return words;
    }
}
