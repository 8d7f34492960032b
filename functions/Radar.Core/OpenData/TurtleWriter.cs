using System.Globalization;
using System.Text;

namespace Radar.Core.OpenData;

/// <summary>
/// Writes an <see cref="RdfGraph"/> as Turtle (RDF 1.1): the prefixes of
/// <see cref="DcatVocabulary.Prefixes"/>, one block per subject, <c>a</c> for <c>rdf:type</c>.
/// Strings are escaped as the grammar's STRING_LITERAL_QUOTE requires (backslash, quote, line
/// breaks, other control characters as <c>\uXXXX</c>); characters an IRIREF may not hold are
/// percent-encoded; a name is abbreviated only when its local part is a plain PN_LOCAL.
/// </summary>
public static class TurtleWriter
{
    public static string Write(RdfGraph graph)
    {
        var text = new StringBuilder();
        foreach (var (prefix, ns) in DcatVocabulary.Prefixes)
        {
            text.Append("@prefix ").Append(prefix).Append(": <").Append(Iri(ns)).Append("> .\n");
        }

        foreach (var (subject, properties) in graph.Nodes)
        {
            text.Append('\n').Append('<').Append(Iri(subject)).Append('>');
            var groups = properties.GroupBy(p => p.Predicate, StringComparer.Ordinal).ToList();
            for (var i = 0; i < groups.Count; i++)
            {
                var predicate = groups[i].Key == DcatVocabulary.Rdf + "type" ? "a" : Name(groups[i].Key);
                text.Append(i == 0 ? "\n    " : " ;\n    ").Append(predicate).Append(' ');
                text.AppendJoin(", ", groups[i].Select(p => Term(p.Object)));
            }

            text.Append(" .\n");
        }

        return text.ToString();
    }

    private static string Term(RdfTerm term) => term switch
    {
        RdfIri iri => Name(iri.Value),
        RdfLiteral { Language: { } language } literal => Quote(literal.Value) + "@" + language,
        RdfLiteral { Datatype: { } datatype } literal => Quote(literal.Value) + "^^" + Name(datatype),
        RdfLiteral literal => Quote(literal.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(term)),
    };

    /// <summary><c>dcat:Dataset</c> where the local part is simple, else <c>&lt;…&gt;</c>.</summary>
    private static string Name(string iri)
    {
        foreach (var (prefix, ns) in DcatVocabulary.Prefixes)
        {
            if (iri.StartsWith(ns, StringComparison.Ordinal) && iri[ns.Length..] is { Length: > 0 } local &&
                char.IsAsciiLetter(local[0]) && local.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return prefix + ":" + local;
            }
        }

        return "<" + Iri(iri) + ">";
    }

    /// <summary>IRIREF may not contain spaces, control characters or <c>&lt;&gt;"{}|^`\</c>.</summary>
    private static string Iri(string iri)
    {
        var text = new StringBuilder(iri.Length);
        foreach (var c in iri)
        {
            if (c <= ' ' || c is '<' or '>' or '"' or '{' or '}' or '|' or '^' or '`' or '\\')
            {
                text.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append(@"\n"); break;
                case '\r': text.Append(@"\r"); break;
                case '\t': text.Append(@"\t"); break;
                case < ' ' or '\u007f':
                    text.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
                default: text.Append(c); break;
            }
        }

        return text.Append('"').ToString();
    }
}
