using System.Text;
using ArchUnitNET.Domain;
using ArchUnitNET.Loader;

namespace Radar.Core.Tests.Architecture;

/// <summary>
/// Which namespace uses which: an edge A → B when a type in A refers to a type in B — base type,
/// interface, field, property, method signature, attribute, or anything a method body names
/// (<c>new</c>, calls, casts, <c>typeof</c>; ArchUnitNET reads the IL with Mono.Cecil, async and
/// iterator state machines and lambdas included). Each edge keeps one type pair as its example.
/// A namespace and its child namespaces are separate nodes.
/// </summary>
public sealed class NamespaceGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, (string From, string To)>> _edges = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Namespaces => _edges.Keys;

    /// <summary>The namespaces of <paramref name="assembly"/> under <paramref name="root"/> (the
    /// root included) and how they use each other; types outside the root are left out.</summary>
    public static NamespaceGraph Of(System.Reflection.Assembly assembly, string root)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var architecture = new ArchLoader().LoadNamespacesWithinAssembly(assembly, root).Build();
        // Referenced types are stubs that may know no assembly: a type is ours when the loaded
        // assembly declares it.
        var declared = architecture.Types.Where(t => t.Assembly?.FullName == assembly.FullName)
            .Select(t => t.FullName).ToHashSet(StringComparer.Ordinal);
        bool Inside(IType type) =>
            declared.Contains(type.FullName)
            && (type.Namespace.FullName == root || type.Namespace.FullName.StartsWith(root + ".", StringComparison.Ordinal));

        var graph = new NamespaceGraph();
        foreach (var type in architecture.Types.Where(Inside))
        {
            graph.AddNamespace(type.Namespace.FullName);
            foreach (var dependency in type.Dependencies)
            {
                foreach (var target in Targets(dependency.Target, dependency.TargetGenericArguments).Where(Inside))
                {
                    graph.AddEdge(type.Namespace.FullName, target.Namespace.FullName, type.FullName, target.FullName);
                }
            }
        }

        return graph;
    }

    public void AddNamespace(string name) => _edges.TryAdd(name, new SortedDictionary<string, (string, string)>(StringComparer.Ordinal));

    /// <summary>Adds "<paramref name="fromType"/> in <paramref name="from"/> uses
    /// <paramref name="toType"/> in <paramref name="to"/>"; a type using its own namespace is no edge.</summary>
    public void AddEdge(string from, string to, string fromType, string toType)
    {
        AddNamespace(from);
        AddNamespace(to);
        if (from == to)
        {
            return;
        }

        // The same example on every run: a written type before a compiler-generated one, then by name.
        var candidate = (fromType, toType);
        if (!_edges[from].TryGetValue(to, out var kept) || Better(candidate, kept))
        {
            _edges[from][to] = candidate;
        }
    }

    public IEnumerable<string> Uses(string name) => _edges.TryGetValue(name, out var targets) ? targets.Keys : [];

    /// <summary>One type pair behind the edge <paramref name="from"/> → <paramref name="to"/>.</summary>
    public (string From, string To) Example(string from, string to) => _edges[from][to];

    /// <summary>The groups of namespaces that use each other round a cycle (strongly connected
    /// components of more than one namespace), each sorted by name, in name order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        // Tarjan's algorithm, iterative so a long chain cannot overflow the stack.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<IReadOnlyList<string>>();
        foreach (var start in _edges.Keys)
        {
            if (index.ContainsKey(start))
            {
                continue;
            }

            var work = new Stack<(string Node, IEnumerator<string> Next)>();
            Visit(start);
            while (work.Count > 0)
            {
                var (node, next) = work.Peek();
                if (next.MoveNext())
                {
                    var target = next.Current;
                    if (!index.TryGetValue(target, out var targetIndex))
                    {
                        Visit(target);
                    }
                    else if (onStack.Contains(target))
                    {
                        low[node] = Math.Min(low[node], targetIndex);
                    }

                    continue;
                }

                work.Pop();
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }

                if (low[node] == index[node])
                {
                    var component = new List<string>();
                    string member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    }
                    while (member != node);
                    if (component.Count > 1)
                    {
                        components.Add([.. component.Order(StringComparer.Ordinal)]);
                    }
                }
            }

            void Visit(string node)
            {
                index[node] = low[node] = index.Count;
                stack.Push(node);
                onStack.Add(node);
                work.Push((node, Uses(node).ToList().GetEnumerator()));
            }
        }

        return [.. components.OrderBy(c => c[0], StringComparer.Ordinal)];
    }

    /// <summary>
    /// What a reader needs to break a cycle: one shortest way round it (from its first namespace
    /// by name), then every edge inside the group with one type pair that makes it.
    /// </summary>
    public string Describe(IReadOnlyList<string> component)
    {
        ArgumentNullException.ThrowIfNull(component);
        var members = component.ToHashSet(StringComparer.Ordinal);
        var text = new StringBuilder();
        text.Append("Namespace cycle: ").AppendJoin(" -> ", ShortestCycle(component[0], members)).AppendLine();
        foreach (var from in component)
        {
            foreach (var to in Uses(from).Where(members.Contains))
            {
                var (fromType, toType) = Example(from, to);
                text.Append("  ").Append(from).Append(" -> ").Append(to)
                    .Append(": ").Append(fromType).Append(" uses ").Append(toType).AppendLine();
            }
        }

        return text.ToString();
    }

    private List<string> ShortestCycle(string start, HashSet<string> members)
    {
        // Breadth-first from the start's targets back to the start, inside the group only.
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        foreach (var first in Uses(start).Where(members.Contains))
        {
            cameFrom.TryAdd(first, start);
            queue.Enqueue(first);
        }

        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (node == start)
            {
                break;
            }

            foreach (var next in Uses(node).Where(members.Contains).Where(n => !cameFrom.ContainsKey(n)))
            {
                cameFrom[next] = node;
                queue.Enqueue(next);
            }
        }

        var path = new List<string> { start };
        for (var node = cameFrom[start]; node != start; node = cameFrom[node])
        {
            path.Add(node);
        }

        path.Add(start);
        path.Reverse();
        return path;
    }

    private static bool Better((string From, string To) candidate, (string From, string To) kept)
    {
        var generated = IsGenerated(candidate).CompareTo(IsGenerated(kept));
        return generated != 0
            ? generated < 0
            : string.CompareOrdinal(candidate.From + " " + candidate.To, kept.From + " " + kept.To) < 0;
    }

    private static bool IsGenerated((string From, string To) pair) => pair.From.Contains('<', StringComparison.Ordinal) || pair.To.Contains('<', StringComparison.Ordinal);

    private static IEnumerable<IType> Targets(IType target, IEnumerable<GenericArgument> arguments)
    {
        yield return target;
        foreach (var argument in arguments)
        {
            foreach (var inner in Targets(argument.Type, argument.GenericArguments))
            {
                yield return inner;
            }
        }
    }
}
