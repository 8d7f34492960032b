using System.Text;
using System.Text.Json.Nodes;

namespace Radar.Core.Tests.Measures;

/// <summary>Small measure sources in the JSON import format, built in code.</summary>
internal static class TestDocs
{
    public static JsonObject RadarBlock(string id = "testradar") => new()
    {
        ["id"] = id,
        ["title"] = "Testradar " + id,
        ["areas"] = new JsonArray(
            new JsonObject { ["id"] = "stadtgesellschaft", ["label"] = "Stadtgesellschaft" },
            new JsonObject { ["id"] = "stadtverwaltung", ["label"] = "Stadtverwaltung" },
            new JsonObject { ["id"] = "infrastruktur", ["label"] = "Infrastruktur" }),
        ["statuses"] = new JsonArray(
            new JsonObject { ["id"] = "umgesetzt", ["label"] = "Umgesetzt" },
            new JsonObject { ["id"] = "in-umsetzung", ["label"] = "In Umsetzung" },
            new JsonObject { ["id"] = "in-planung", ["label"] = "In Planung" },
            new JsonObject { ["id"] = "idee", ["label"] = "Idee" }),
    };

    public static JsonObject Measure(string id, string status = "in-umsetzung", string area = "infrastruktur", string? title = null) => new()
    {
        ["id"] = id,
        ["title"] = title ?? "Maßnahme " + id,
        ["summary"] = "Kurzbeschreibung für " + id,
        ["area"] = area,
        ["field"] = "Digitale Infrastruktur",
        ["departments"] = new JsonArray("IT-Referat", "Stadtwerke München"),
        ["status"] = status,
        ["progress"] = 40,
        ["tags"] = new JsonArray("WLAN"),
        ["kpis"] = new JsonArray(new JsonObject { ["name"] = "Hotspots", ["value"] = 100, ["unit"] = "Stück", ["asOf"] = "2024-06-30" }),
        ["start"] = "2020-01-01",
    };

    public static string Doc(params JsonObject[] measures) => Doc("testradar", measures);

    public static string Doc(string radarId, params JsonObject[] measures) =>
        new JsonObject { ["radar"] = RadarBlock(radarId), ["measures"] = new JsonArray([.. measures.Select(m => m.DeepClone())]) }.ToJsonString();

    /// <summary>A document that is an edition (<c>radar.edition</c>) of <paramref name="radarId"/>.</summary>
    public static string EditionDoc(string id, string published, IEnumerable<JsonObject> measures, string radarId = "testradar", string? introduction = null)
    {
        var radar = RadarBlock(radarId);
        radar["edition"] = new JsonObject
        {
            ["id"] = id,
            ["title"] = "Bericht " + id,
            ["published"] = published,
            ["introduction"] = introduction,
        };
        return new JsonObject { ["radar"] = radar, ["measures"] = new JsonArray([.. measures.Select(m => m.DeepClone())]) }.ToJsonString();
    }

    public static JsonObject With(this JsonObject measure, string field, JsonNode? value)
    {
        var copy = measure.DeepClone().AsObject();
        copy[field] = value;
        return copy;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string SamplesFolder => Path.Combine(AzuriteFixture.RepoRoot, "samples", "measures");
}
