using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Radar.Core.Measures;

/// <summary>
/// The one JSON form of measures, radars and changes, used for storage and for comparing: camelCase,
/// nulls and empty lists left out, so "no goals" and "goals: []" are the same measure.
/// </summary>
public static class MeasureJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Stored {typeof(T).Name} is null.");

    /// <summary>The measure as a JSON object of its non-empty fields, in declaration order.</summary>
    public static JsonObject ToObject(Measure measure)
    {
        var node = JsonSerializer.SerializeToNode(measure, Options)!.AsObject();
        foreach (var key in node.Select(p => p.Key).ToList())
        {
            if (node[key] is null || node[key] is JsonArray { Count: 0 })
            {
                node.Remove(key);
            }
        }

        return node;
    }

    public static Measure FromObject(JsonObject node) =>
        node.Deserialize<Measure>(Options) ?? throw new JsonException("Measure is null.");

    /// <summary>Stable text of a measure, for "is this the same input as last time".</summary>
    public static string Canonical(Measure measure) => ToObject(measure).ToJsonString(Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            PropertyNameCaseInsensitive = false,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
