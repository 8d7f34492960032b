using System.Globalization;

namespace Radar.Core.OpenData;

/// <summary>An RDF term in object position: an IRI or a literal (with a language or a datatype).</summary>
public abstract record RdfTerm
{
    public static RdfIri Iri(string value) => new(value);

    /// <summary>German text (<c>"…"@de</c>).</summary>
    public static RdfLiteral German(string value) => new(value, "de", null);

    public static RdfLiteral Plain(string value) => new(value, null, null);

    public static RdfLiteral Date(DateOnly date) =>
        new(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null, DcatVocabulary.Xsd + "date");

    public static RdfLiteral DateTime(DateTimeOffset at) =>
        new(at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), null, DcatVocabulary.Xsd + "dateTime");
}

public sealed record RdfIri(string Value) : RdfTerm;

public sealed record RdfLiteral(string Value, string? Language, string? Datatype) : RdfTerm;

/// <summary>
/// A small set of triples whose subjects are IRIs (no blank nodes, so both serialisations name
/// every node), kept in the order they were added: what <see cref="TurtleWriter"/> and
/// <see cref="JsonLdWriter"/> write, so the two say the same thing by construction.
/// </summary>
public sealed class RdfGraph
{
    private readonly List<(string Subject, List<(string Predicate, RdfTerm Object)> Properties)> _nodes = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public IEnumerable<(string Subject, IReadOnlyList<(string Predicate, RdfTerm Object)> Properties)> Nodes =>
        _nodes.Select(n => (n.Subject, (IReadOnlyList<(string, RdfTerm)>)n.Properties));

    public int Count => _nodes.Sum(n => n.Properties.Count);

    public RdfGraph Add(string subject, string predicate, RdfTerm? value)
    {
        if (value is null)
        {
            return this;
        }

        if (!_index.TryGetValue(subject, out var at))
        {
            at = _nodes.Count;
            _index[subject] = at;
            _nodes.Add((subject, []));
        }

        var properties = _nodes[at].Properties;
        if (!properties.Contains((predicate, value)))
        {
            properties.Add((predicate, value));
        }

        return this;
    }

    public RdfGraph Type(string subject, string type) => Add(subject, DcatVocabulary.Rdf + "type", RdfTerm.Iri(type));
}
