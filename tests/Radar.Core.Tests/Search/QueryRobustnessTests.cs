using System.Text;
using Radar.Core.Search;

namespace Radar.Core.Tests.Search;

/// <summary>No query string makes the index throw: every one gets an answer, possibly empty.</summary>
public sealed class QueryRobustnessTests : IDisposable
{
    private readonly RadarIndex _index = RadarIndex.InMemory();

    public QueryRobustnessTests() => _index.Rebuild(GermanCorpus.Documents);

    public void Dispose() => _index.Dispose();

    public static IEnumerable<string> Adversarial()
    {
        yield return "";
        yield return " ";
        yield return "*";
        yield return "**";
        yield return "-";
        yield return "--wlan";
        yield return "-*";
        yield return "\"";
        yield return "\"\"";
        yield return "\"wlan";
        yield return "wlan\"";
        yield return "\"öffentliches wlan";
        yield return "(";
        yield return ")";
        yield return "((wlan)";
        yield return "wlan | | bibliothek";
        yield return "+ + +";
        yield return "a*";
        yield return "wl*an";
        yield return "~";
        yield return "wlan~2";
        yield return "\"wlan\"~3";
        yield return "\\";
        yield return "wlan\\";
        yield return "title:wlan";
        yield return "[a TO z]";
        yield return "{!lucene}wlan";
        yield return "der die das und oder";
        yield return "\0";
        yield return "wlan\0bibliothek";
        yield return "\u0001\u0002\u0003\u001b[31m";
        yield return "\ud800";
        yield return "\udc00wlan";
        yield return "wlan\ud83d";
        yield return "😀 wlan 🚀";
        yield return "\u202eNALW";
        yield return "\uFEFFwlan";
        yield return "\uFFFE\uFFFF";
        yield return "ß ẞ ſ";
        yield return "u\u0308ber";
        yield return "<script>alert(1)</script>";
        yield return "&amp; &lt;";
        yield return "' OR 1=1 --";
        yield return new string('a', 10_000);
        yield return new string('*', 10_000);
        yield return new string('"', 10_000);
        yield return new string('-', 10_000);
        yield return string.Join(' ', Enumerable.Repeat("wlan", 5_000));
        yield return string.Join(' ', Enumerable.Repeat("w*", 2_000));
        yield return string.Join(' ', Enumerable.Repeat("\"a b\"", 2_000));
        yield return string.Join(' ', Enumerable.Range(0, 3_000).Select(i => "wort" + i + "~"));
        yield return new string('(', 5_000) + "wlan" + new string(')', 5_000);
        yield return string.Concat(Enumerable.Repeat("\ud800", 5_000));
    }

    public static IEnumerable<string> Random(int count, int seed)
    {
        var random = new Random(seed);
        const string specials = "+-&|!(){}[]^\"~*?:\\/ \t\n\r'`@#$%;,.<>=";
        string[] words = ["wlan", "E-Akte", "München", "Bibliothek", "der", "Digitalis", "ozg", "W-LAN", "Bürgerservice", "ß"];
        for (var i = 0; i < count; i++)
        {
            var length = random.Next(0, i % 50 == 0 ? 2_000 : 40);
            var builder = new StringBuilder(length);
            while (builder.Length < length)
            {
                switch (random.Next(6))
                {
                    case 0:
                        builder.Append(specials[random.Next(specials.Length)]);
                        break;
                    case 1:
                        builder.Append(words[random.Next(words.Length)]);
                        break;
                    case 2:
                        builder.Append((char)random.Next(0, 0x20)); // control characters
                        break;
                    case 3:
                        builder.Append((char)random.Next(0xD800, 0xE000)); // lone surrogates
                        break;
                    case 4:
                        builder.Append((char)random.Next(0x20, 0xFFFF)); // anything in the BMP
                        break;
                    default:
                        builder.Append(' ');
                        break;
                }
            }
            yield return builder.ToString();
        }
    }

    [Fact]
    public void Every_query_string_gets_an_answer()
    {
        var queries = Adversarial().Concat(Random(3_000, seed: 20201))
            .ToList();
        Assert.True(queries.Count > 3_000);
        var failures = new List<string>();
        foreach (var query in queries)
        {
            try
            {
                var request = new SearchRequest { Query = query.Trim() };
                var response = _index.Search(request);
                Assert.NotNull(response);
                Assert.NotNull(response.Hits);
                Assert.InRange(response.Hits.Count, 0, SearchRequest.DefaultPageSize);
                Assert.Equal(6, response.Facets.Count);
                foreach (var hit in response.Hits)
                {
                    Assert.DoesNotContain("<script", hit.Snippet ?? string.Empty, StringComparison.OrdinalIgnoreCase);
                }
                Assert.NotNull(_index.Suggest(query));
                var sortedByDate = _index.Search(request with { Sort = SearchSort.Date, Areas = ["infrastruktur"] });
                Assert.NotNull(sortedByDate);
            }
            catch (Exception exception)
            {
                failures.Add($"{Describe(query)}: {exception.GetType().Name}: {exception.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
    }

    [Fact]
    public void Adversarial_queries_that_contain_a_word_still_find_it()
    {
        Assert.Contains(_index.Search(new SearchRequest { Query = "\"wlan" }).Hits, hit => hit.Id == "oeffentliches-wlan");
        Assert.Contains(_index.Search(new SearchRequest { Query = "((wlan)" }).Hits, hit => hit.Id == "oeffentliches-wlan");
        Assert.Contains(_index.Search(new SearchRequest { Query = "wlan\0" }).Hits, hit => hit.Id == "oeffentliches-wlan");
        Assert.Contains(_index.Search(new SearchRequest { Query = "\ud800wlan" }).Hits, hit => hit.Id == "oeffentliches-wlan");
    }

    private static string Describe(string query)
    {
        var shown = query.Length > 60 ? query[..60] + $"… ({query.Length} chars)" : query;
        return string.Concat(shown.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
