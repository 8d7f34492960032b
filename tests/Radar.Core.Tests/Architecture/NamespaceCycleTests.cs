using System.Reflection;

namespace Radar.Core.Tests.Architecture;

/// <summary>
/// No two namespaces of Radar's own assemblies use each other, directly or round a longer cycle
/// (a namespace and its child namespaces count as separate namespaces). When this fails, the
/// message names the cycle and one type pair per edge: move a type to the side it belongs to, or
/// let the lower namespace declare an interface that the upper one implements.
/// </summary>
public class NamespaceCycleTests
{
    [Theory]
    [InlineData("Radar.Core")]
    [InlineData("Radar.Functions")]
    [InlineData("Radar.Pages")]
    [InlineData("Radar.Local")]
    public void Namespaces_use_each_other_in_one_direction_only(string assembly)
    {
        var graph = NamespaceGraph.Of(Assembly.Load(assembly), assembly);

        Assert.True(graph.Namespaces.Count > 1, $"{assembly}: no namespaces read; the test would pass on nothing.");
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, string.Concat(cycles.Select(graph.Describe)));
    }

    [Fact]
    public void A_cycle_among_namespaces_is_found_and_named_with_one_type_pair_per_edge()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("App.Search", "App.Search.Querying", "App.Search.Index", "App.Search.Querying.Run");
        graph.AddEdge("App.Search.Querying", "App.Search", "App.Search.Querying.Run", "App.Search.Fields");
        graph.AddEdge("App.Search.Querying", "App.Search", "App.Search.Querying.Parser", "App.Search.Fields");
        graph.AddEdge("App.Feeds", "App.Search", "App.Feeds.Service", "App.Search.Request");
        graph.AddEdge("App.Hosting", "App.Storage", "App.Hosting.Services", "App.Storage.Tables");
        graph.AddEdge("App.Storage", "App.Options", "App.Storage.Tables", "App.Options.Settings");
        graph.AddEdge("App.Options", "App.Hosting", "App.Options.Settings", "App.Hosting.Services");

        var cycles = graph.Cycles();

        Assert.Equal(
            [["App.Hosting", "App.Options", "App.Storage"], ["App.Search", "App.Search.Querying"]],
            cycles.Select(c => c.ToArray()).ToArray());
        Assert.Equal(
            """
            Namespace cycle: App.Hosting -> App.Storage -> App.Options -> App.Hosting
              App.Hosting -> App.Storage: App.Hosting.Services uses App.Storage.Tables
              App.Options -> App.Hosting: App.Options.Settings uses App.Hosting.Services
              App.Storage -> App.Options: App.Storage.Tables uses App.Options.Settings

            """.ReplaceLineEndings("\n"),
            graph.Describe(cycles[0]).ReplaceLineEndings("\n"));
        Assert.Contains("App.Search.Querying -> App.Search: App.Search.Querying.Parser uses App.Search.Fields", graph.Describe(cycles[1]), StringComparison.Ordinal);
    }

    [Fact]
    public void Namespaces_that_use_each_other_one_way_are_no_cycle()
    {
        var graph = new NamespaceGraph();
        graph.AddEdge("App.Syndication", "App.Search", "App.Syndication.FeedService", "App.Search.SearchRequest");
        graph.AddEdge("App.Search", "App", "App.Search.Index", "App.Slug");
        graph.AddEdge("App.Syndication", "App", "App.Syndication.FeedService", "App.Slug");
        graph.AddEdge("App.Search", "App.Search", "App.Search.Index", "App.Search.Fields");

        Assert.Empty(graph.Cycles());
    }

    [Fact]
    public void A_cycle_made_only_inside_a_method_body_is_read_from_the_compiled_code()
    {
        var root = typeof(CycleFixture.Upper.Caller).Namespace![..typeof(CycleFixture.Upper.Caller).Namespace!.LastIndexOf('.')];

        var graph = NamespaceGraph.Of(typeof(CycleFixture.Upper.Caller).Assembly, root);

        var cycle = Assert.Single(graph.Cycles());
        Assert.Equal([root + ".Lower", root + ".Upper"], cycle);
        Assert.Equal((typeof(CycleFixture.Upper.Caller).FullName!, typeof(CycleFixture.Lower.Callee).FullName!), graph.Example(root + ".Upper", root + ".Lower"));
        Assert.Equal((typeof(CycleFixture.Lower.Callee).FullName!, typeof(CycleFixture.Upper.Caller).FullName!), graph.Example(root + ".Lower", root + ".Upper"));
    }
}
