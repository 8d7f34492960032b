using System.Text.Json.Nodes;
using Radar.Core.Measures;
using Radar.Core.Sources;
using static Radar.Core.Tests.Measures.TestDocs;

namespace Radar.Core.Tests.Measures;

public class JsonMeasureReaderTests
{
    [Fact]
    public void The_Munich_sample_is_read_in_full()
    {
        var content = JsonMeasureReader.Read(File.ReadAllBytes(Path.Combine(SamplesFolder, "muenchen.json")));

        Assert.Equal("muenchen", content.Radar.Id);
        Assert.Empty(content.Skipped);
        Assert.True(content.Measures.Count >= 40);
        Assert.Equal(["stadtgesellschaft", "stadtverwaltung", "infrastruktur"], content.Radar.Areas.Select(a => a.Id));
        Assert.All(content.Radar.Statuses, s => Assert.Contains(content.Measures, m => m.Status == s.Id));
        Assert.All(content.Radar.Areas, a => Assert.Contains(content.Measures, m => m.Area == a.Id));
        Assert.Contains(content.Measures, m => m.Departments.Contains("Münchner Stadtbibliothek"));
        Assert.Contains(content.Measures, m => m.Departments.Contains("Kulturreferat"));
        Assert.Contains(content.Measures, m => m.Departments.Contains("Mobilitätsreferat"));
        var wlan = content.Measures.Single(m => m.Id == "oeffentliches-wlan");
        Assert.Equal("Öffentliches WLAN „M-WLAN“", wlan.Title);
        Assert.True(wlan.Kpis.Count(k => k.Name == "Hotspots") >= 3, "a KPI series over several dates");
        Assert.NotEmpty(wlan.Goals);
        Assert.NotEmpty(wlan.Achievements);
        Assert.NotEmpty(wlan.Highlights);
        Assert.NotNull(wlan.Outlook);
        Assert.NotEmpty(wlan.Links);
        Assert.Equal(new DateTimeOffset(2024, 7, 15, 9, 30, 0, TimeSpan.Zero), wlan.Updated);
    }

    [Theory]
    [InlineData("{ \"radar\": { \"id\": \"x\" ", "Not valid JSON")]
    [InlineData("<html><body>Wartungsarbeiten</body></html>", "Not valid JSON")]
    [InlineData("[1, 2, 3]", "Wrong shape")]
    [InlineData("{ \"measures\": [] }", "Wrong shape")]
    [InlineData("{ \"radar\": { \"id\": \"x\", \"title\": \"X\", \"areas\": [], \"statuses\": [] } }", "Wrong shape")]
    [InlineData("{ \"radar\": { \"id\": \"x\", \"title\": \"X\", \"areas\": [], \"statuses\": [] }, \"measures\": {} }", "Wrong shape")]
    [InlineData("{ \"radar\": { \"id\": \"X Y\", \"title\": \"X\", \"areas\": [{\"id\":\"a\"}], \"statuses\": [{\"id\":\"s\"}] }, \"measures\": [] }", "radar.id")]
    [InlineData("{ \"radar\": { \"id\": \"x\", \"title\": \"X\", \"areas\": [], \"statuses\": [{\"id\":\"s\"}] }, \"measures\": [] }", "radar.areas")]
    [InlineData("", "empty")]
    [InlineData("  \r\n ", "empty")]
    public void A_broken_file_fails_as_a_whole_with_a_reason(string json, string reason)
    {
        var error = Assert.Throws<SourceContentException>(() => JsonMeasureReader.Read(Utf8(json)));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_JSON_names_the_line()
    {
        var error = Assert.Throws<SourceContentException>(() => JsonMeasureReader.Read(Utf8("{\n  \"radar\": {\n    \"id\": \"x\",,\n  }\n}")));

        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_records_are_skipped_with_index_and_reason_and_the_rest_goes_in()
    {
        var unknownArea = Measure("unbekannter-bereich", area: "weltraum");
        var unknownStatus = Measure("unbekannter-status", status: "vielleicht");
        var noTitle = Measure("ohne-titel");
        noTitle.Remove("title");
        var badProgress = Measure("schlechter-fortschritt");
        badProgress["progress"] = "60%";
        var badLink = Measure("schlechter-link");
        badLink["links"] = new JsonArray(new JsonObject { ["title"] = "Bericht", ["url"] = "javascript:alert(1)" });
        var endBeforeStart = Measure("ende-vor-beginn");
        endBeforeStart["end"] = "2019-01-01";
        var badDate = Measure("schlechtes-datum");
        badDate["start"] = "1. Juli 2019";
        var badId = Measure("Öffentliches WLAN");
        var json = new JsonObject
        {
            ["radar"] = RadarBlock(),
            ["measures"] = new JsonArray(Measure("gut-1"), unknownArea, unknownStatus, noTitle, badProgress, badLink, endBeforeStart, badDate, badId, JsonValue.Create(42), Measure("gut-2")),
        }.ToJsonString();

        var content = JsonMeasureReader.Read(Utf8(json));

        Assert.Equal(["gut-1", "gut-2"], content.Measures.Select(m => m.Id));
        Assert.Equal(11, content.Read);
        var reasons = content.Skipped.ToDictionary(s => s.Index!.Value, s => s.Reason);
        Assert.Contains("Unknown area 'weltraum'", reasons[1], StringComparison.Ordinal);
        Assert.Contains("Unknown status 'vielleicht'", reasons[2], StringComparison.Ordinal);
        Assert.Contains("'title' is missing", reasons[3], StringComparison.Ordinal);
        Assert.Contains("'progress'", reasons[4], StringComparison.Ordinal);
        Assert.Contains("http(s)", reasons[5], StringComparison.Ordinal);
        Assert.Contains("before 'start'", reasons[6], StringComparison.Ordinal);
        Assert.Contains("'start' must be a date", reasons[7], StringComparison.Ordinal);
        Assert.Contains("not a slug", reasons[8], StringComparison.Ordinal);
        Assert.Contains("must be an object", reasons[9], StringComparison.Ordinal);
        Assert.Equal("measures[1]", content.Skipped.First(s => s.Index == 1).Where);
        // Records skipped with a readable id keep the stored measure: they are not "missing".
        Assert.Contains("unbekannter-status", content.KeptIds);
    }

    [Fact]
    public void Duplicate_ids_in_one_source_skip_every_record_with_that_id()
    {
        var json = Doc(Measure("doppelt", status: "idee"), Measure("einzeln"), Measure("doppelt", status: "umgesetzt"));

        var content = JsonMeasureReader.Read(Utf8(json));

        Assert.Equal(["einzeln"], content.Measures.Select(m => m.Id));
        Assert.Equal([0, 2], content.Skipped.Select(s => s.Index!.Value));
        Assert.All(content.Skipped, s => Assert.Contains("Duplicate id 'doppelt'", s.Reason, StringComparison.Ordinal));
        Assert.Contains("measures[2]", content.Skipped[0].Reason, StringComparison.Ordinal);
        Assert.Contains("doppelt", content.KeptIds);
    }

    [Theory]
    [InlineData("In Umsetzung", "INFRASTRUKTUR", "in-umsetzung", "infrastruktur")]
    [InlineData("in umsetzung", "Infrastruktur", "in-umsetzung", "infrastruktur")]
    [InlineData("UMGESETZT", "stadtgesellschaft", "umgesetzt", "stadtgesellschaft")]
    [InlineData(" In  Planung ", "Stadtverwaltung", "in-planung", "stadtverwaltung")]
    public void Area_and_status_may_be_given_by_id_or_label_as_people_type_them(string status, string area, string statusId, string areaId)
    {
        var content = JsonMeasureReader.Read(Utf8(Doc(Measure("m", status, area))));

        var measure = Assert.Single(content.Measures);
        Assert.Equal(statusId, measure.Status);
        Assert.Equal(areaId, measure.Area);
    }

    [Fact]
    public void A_UTF8_byte_order_mark_is_accepted()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Utf8(Doc(Measure("mit-bom")))).ToArray();

        Assert.Single(JsonMeasureReader.Read(bytes).Measures);
    }
}
