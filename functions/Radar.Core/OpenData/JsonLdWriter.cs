using System.Text.Encodings.Web;
using System.Text.Json;

namespace Radar.Core.OpenData;

/// <summary>
/// Writes an <see cref="RdfGraph"/> as JSON-LD 1.1: a fixed <c>@context</c> of the prefixes of
/// <see cref="DcatVocabulary.Prefixes"/> and a <c>@graph</c> with one node object per subject.
/// Properties are compact IRIs (<c>dct:title</c>) and every value is written out as a value
/// object (<c>@value</c> with <c>@language</c> or <c>@type</c>) or a node reference
/// (<c>@id</c>), always in an array: a reader needs nothing but the prefixes to expand it.
/// </summary>
public static class JsonLdWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(RdfGraph graph)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteStartObject("@context");
            foreach (var (prefix, ns) in DcatVocabulary.Prefixes)
            {
                json.WriteString(prefix, ns);
            }

            json.WriteEndObject();
            json.WriteStartArray("@graph");
            foreach (var (subject, properties) in graph.Nodes)
            {
                json.WriteStartObject();
                json.WriteString("@id", subject);
                var types = properties.Where(p => p.Predicate == DcatVocabulary.Rdf + "type").Select(p => ((RdfIri)p.Object).Value).ToList();
                if (types.Count > 0)
                {
                    json.WriteStartArray("@type");
                    types.ForEach(t => json.WriteStringValue(Compact(t)));
                    json.WriteEndArray();
                }

                foreach (var group in properties.Where(p => p.Predicate != DcatVocabulary.Rdf + "type").GroupBy(p => p.Predicate, StringComparer.Ordinal))
                {
                    json.WriteStartArray(Compact(group.Key));
                    foreach (var (_, value) in group)
                    {
                        json.WriteStartObject();
                        switch (value)
                        {
                            case RdfIri iri:
                                json.WriteString("@id", iri.Value);
                                break;
                            case RdfLiteral literal:
                                json.WriteString("@value", literal.Value);
                                if (literal.Language is { } language)
                                {
                                    json.WriteString("@language", language);
                                }
                                else if (literal.Datatype is { } datatype)
                                {
                                    json.WriteString("@type", Compact(datatype));
                                }

                                break;
                        }

                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>A term of a declared vocabulary as <c>prefix:local</c>; anything else stays absolute.</summary>
    private static string Compact(string iri)
    {
        foreach (var (prefix, ns) in DcatVocabulary.Prefixes)
        {
            if (iri.StartsWith(ns, StringComparison.Ordinal) && iri.Length > ns.Length)
            {
                return prefix + ":" + iri[ns.Length..];
            }
        }

        return iri;
    }
}
