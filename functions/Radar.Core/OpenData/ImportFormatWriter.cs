using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Radar.Core.Measures;

namespace Radar.Core.OpenData;

/// <summary>
/// Writes a radar's measures in the JSON import format (<see cref="JsonMeasureReader"/> reads it):
/// <c>{ "radar": { id, title, description, areas, statuses, edition? }, "measures": [ … ] }</c>,
/// every field in <see cref="MeasureJson"/>'s form, so a download imported into another Radar
/// (or as a backfill) is the same edition.
/// </summary>
public static class ImportFormatWriter
{
    private static readonly JsonSerializerOptions Indented = new(MeasureJson.Options) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(RadarDefinition radar, EditionInfo? edition, IEnumerable<Measure> measures)
    {
        var definition = JsonSerializer.SerializeToNode(radar, MeasureJson.Options)!.AsObject();
        if (edition is not null)
        {
            var block = new JsonObject
            {
                ["id"] = edition.Id,
                ["title"] = edition.Title,
                ["published"] = BerlinTime.Format(edition.Published),
            };
            if (edition.Introduction is { } introduction)
            {
                block["introduction"] = introduction;
            }

            definition["edition"] = block;
        }

        var document = new JsonObject
        {
            ["radar"] = definition,
            ["measures"] = new JsonArray([.. measures.Select(m => (JsonNode)MeasureJson.ToObject(m))]),
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, Indented);
    }
}
