using Radar.Core.Search;
using Radar.Core.Search.Analysis;

namespace Radar.Core.Tests.Search;

public class ScratchTypoTests(ITestOutputHelper output)
{
    [Fact]
    public void Print()
    {
        using var index = SampleIndex.Build();
        foreach (var q in File.ReadAllLines("/tmp/sp/queries.txt").Where(l => l.Length > 0))
        {
            var r = index.Search(new SearchRequest { Query = q, PageSize = 5 });
            output.WriteLine($"{q} [{string.Join(",", RadarAnalyzers.Terms(index.Analyzers.Query, "body", q))}|idx {string.Join(",", RadarAnalyzers.Terms(index.Analyzers.Index, "body", q))}]: total={r.Total} q={r.Query} from={r.CorrectedFrom} fuzzy={r.Fuzzy} dym={r.DidYouMean} types={string.Join(",", r.Facets["type"].Select(f => f.Key + "=" + f.Value))} :: {string.Join(" | ", r.Hits.Select(h => h.Type[0] + ":" + h.Id))}");
        }
    }
}
