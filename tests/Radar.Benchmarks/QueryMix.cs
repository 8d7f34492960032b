using Radar.Core.Search;

namespace Radar.Benchmarks;

/// <summary>One benchmark query, in citizen syntax for Radar and in FTS5 syntax for SQLite.</summary>
public sealed record BenchQuery(string Kind, string Text, string Fts, string? Area, string? Status, string? Type, DateTimeOffset? From, DateTimeOffset? To)
{
    public SearchRequest ToRequest() => new()
    {
        Query = Text,
        Areas = Area is null ? [] : [Area],
        Statuses = Status is null ? [] : [Status],
        Types = Type is null ? [] : [Type],
        From = From,
        To = To,
        PageSize = 20,
    };

    public override string ToString() =>
        Text + (Area is null ? "" : $" area={Area}") + (Status is null ? "" : $" status={Status}") + (Type is null ? "" : $" type={Type}") + (From is null ? "" : $" from={From:yyyy-MM-dd}");
}

/// <summary>
/// The query mix: 40 % one word, 20 % two, 10 % three, 10 % phrases taken from the corpus, 12 %
/// prefixes (3–5 letters of a frequent word: the broad ones), 8 % with an exclusion; about a third
/// filtered by area, some by status, type or date. Every query asks for the top 20 with facets
/// and snippets.
/// </summary>
public static class QueryMix
{
    public static IReadOnlyList<BenchQuery> Create(CorpusGenerator generator, IReadOnlyList<SearchDocument> sample, int count = 200, int seed = 42)
    {
        var random = new Random(seed);
        var queries = new List<BenchQuery>(count);
        string Word() => generator.ContentWord(random, 0, 1500);
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(100);
            string kind, text, fts;
            if (roll < 40)
            {
                var w = Word();
                (kind, text, fts) = ("word", w, Quote(w));
            }
            else if (roll < 60)
            {
                var (a, b) = (Word(), Word());
                (kind, text, fts) = ("two words", $"{a} {b}", $"{Quote(a)} {Quote(b)}");
            }
            else if (roll < 70)
            {
                var (a, b, c) = (Word(), Word(), Word());
                (kind, text, fts) = ("three words", $"{a} {b} {c}", $"{Quote(a)} {Quote(b)} {Quote(c)}");
            }
            else if (roll < 80)
            {
                var phrase = Phrase(random, sample);
                (kind, text, fts) = ("phrase", $"\"{phrase}\"", Quote(phrase));
            }
            else if (roll < 92)
            {
                var w = generator.ContentWord(random, 0, 300);
                var prefix = w[..Math.Min(w.Length, 3 + random.Next(3))];
                (kind, text, fts) = ("prefix", prefix + "*", Quote(prefix) + "*");
            }
            else
            {
                var (a, b) = (generator.ContentWord(random, 0, 300), Word());
                (kind, text, fts) = ("exclusion", $"{a} -{b}", $"{Quote(a)} NOT {Quote(b)}");
            }
            var filter = random.Next(100);
            queries.Add(new BenchQuery(kind, text, fts,
                Area: filter < 33 ? new[] { "stadtgesellschaft", "stadtverwaltung", "infrastruktur" }[random.Next(3)] : null,
                Status: filter is >= 25 and < 40 ? new[] { "umgesetzt", "in-umsetzung", "in-planung", "idee" }[random.Next(4)] : null,
                Type: filter is >= 40 and < 50 ? new[] { "measure", "news" }[random.Next(2)] : null,
                From: filter is >= 50 and < 55 ? new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero) : null,
                To: filter is >= 50 and < 55 ? new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero) : null));
        }
        return queries;
    }

    // Two neighbouring words of a real body, so the phrase exists.
    private static string Phrase(Random random, IReadOnlyList<SearchDocument> sample)
    {
        var body = sample[random.Next(sample.Count)].Body!;
        var words = body.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.TrimEnd('.')).ToArray();
        var at = random.Next(words.Length - 1);
        return $"{words[at]} {words[at + 1]}";
    }

    private static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
