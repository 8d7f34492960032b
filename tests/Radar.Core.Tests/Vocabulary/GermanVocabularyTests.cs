using System.Reflection;
using System.Text.Json.Nodes;
using Radar.Core.Measures;
using Radar.Core.Vocabulary;

namespace Radar.Core.Tests.Vocabulary;

/// <summary>One German vocabulary for pages, feeds and search: every field of a measure has a
/// name in it, and a change is worded the same wherever it is shown.</summary>
public class GermanVocabularyTests
{
    private static readonly RadarDefinition Radar = new()
    {
        Id = "muenchen",
        Title = "Digitalisierungsradar München",
        Areas = [new("infrastruktur", "Infrastruktur")],
        Statuses = [new("in-planung", "In Planung"), new("in-umsetzung", "In Umsetzung")],
    };

    [Fact]
    public void Every_property_of_a_measure_has_a_German_name_under_its_canonical_JSON_name()
    {
        var policy = MeasureJson.Options.PropertyNamingPolicy!;
        var jsonNames = typeof(Measure).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>()?.Name ?? policy.ConvertName(p.Name))
            .ToList();

        Assert.Equal(typeof(Measure).GetProperties(BindingFlags.Public | BindingFlags.Instance).Length, jsonNames.Count);
        Assert.All(jsonNames, name =>
        {
            Assert.Contains(name, GermanFields.Fields);
            Assert.NotEqual(name, GermanFields.Name(name));
        });
    }

    [Fact]
    public void Every_field_a_stored_measure_has_in_its_canonical_JSON_has_a_German_name()
    {
        var full = new Measure
        {
            Id = "wlan",
            Title = "WLAN",
            Summary = "s",
            Description = "d",
            Area = "infrastruktur",
            Field = "f",
            Departments = ["IT-Referat"],
            Status = "in-planung",
            Progress = 40,
            Goals = ["g"],
            Achievements = ["a"],
            Highlights = ["h"],
            Outlook = "o",
            Kpis = [new MeasureKpi("Hotspots", 46)],
            Tags = ["WLAN"],
            Links = [new MeasureLink("Seite", "https://x.example/")],
            Start = new DateOnly(2024, 1, 1),
            End = new DateOnly(2027, 12, 31),
            Updated = DateTimeOffset.UnixEpoch,
        };

        var fields = MeasureJson.ToObject(full).Select(p => p.Key).ToList();

        Assert.Equal(typeof(Measure).GetProperties().Length, fields.Count);
        Assert.All(fields, field => Assert.NotEqual(field, GermanFields.Name(field)));
    }

    [Fact]
    public void Labels_come_from_the_radar_and_fall_back_to_the_id()
    {
        Assert.Equal("In Planung", GermanLabels.Status(Radar, "in-planung"));
        Assert.Equal("unbekannt-x", GermanLabels.Status(Radar, "unbekannt-x"));
        Assert.Equal("unbekannt", GermanLabels.Status(Radar, null));
        Assert.Equal("Infrastruktur", GermanLabels.Area(Radar, "infrastruktur"));
        Assert.Equal("A, B oder C", GermanLabels.Either(["A", "B", "C"]));
        Assert.Equal("A und B", GermanLabels.All(["A", "B"]));
    }

    [Fact]
    public void A_status_change_reads_the_same_as_a_headline_and_on_the_measures_own_page()
    {
        var change = new MeasureChange
        {
            Id = "muenchen:wlan:2",
            RadarId = "muenchen",
            MeasureId = "wlan",
            Sequence = 2,
            Kind = ChangeKinds.StatusChanged,
            At = DateTimeOffset.UnixEpoch,
            Title = "Öffentliches WLAN",
            Area = "infrastruktur",
            Status = "in-umsetzung",
            From = "in-planung",
            To = "in-umsetzung",
            Fields = [new FieldChange("status", "in-planung", "in-umsetzung"), new FieldChange("progress", JsonValue.Create(40), JsonValue.Create(60))],
        };

        Assert.Equal("Öffentliches WLAN: Status von „In Planung“ zu „In Umsetzung“", GermanChanges.Headline(change, Radar));
        Assert.Equal("Status von „In Planung“ zu „In Umsetzung“ geändert", GermanChanges.OnItsPage(change, Radar));
        var progress = Assert.Single(GermanChanges.Fields(change, Radar));
        Assert.Equal(new ChangedField("progress", "Fortschritt", "40 %", "60 %"), progress);
        Assert.Equal("60 %", GermanChanges.FullValue("progress", JsonValue.Create(60), Radar));
    }
}
