using System.Text.Json.Nodes;
using Radar.Core.Measures;
using Radar.Core.Syndication;

namespace Radar.Core.Tests.Syndication;

/// <summary>What a feed reader sees as an entry's title: German sentences with the radar's labels.</summary>
public class ChangeWordingTests
{
    private static readonly RadarDefinition Radar = new()
    {
        Id = "muenchen",
        Title = "Digitalisierungsradar München",
        Areas = [new("infrastruktur", "Infrastruktur"), new("stadtverwaltung", "Stadtverwaltung")],
        Statuses = [new("umgesetzt", "Umgesetzt"), new("in-umsetzung", "In Umsetzung"), new("in-planung", "In Planung")],
    };

    private static MeasureChange Change(string kind, params FieldChange[] fields) => new()
    {
        Id = "muenchen:oeffentliches-wlan:2",
        RadarId = "muenchen",
        MeasureId = "oeffentliches-wlan",
        Sequence = 2,
        Kind = kind,
        At = DateTimeOffset.UnixEpoch,
        Title = "Öffentliches WLAN",
        Area = "infrastruktur",
        Status = "in-umsetzung",
        From = kind == ChangeKinds.StatusChanged ? "in-planung" : null,
        To = kind == ChangeKinds.StatusChanged ? "in-umsetzung" : null,
        Fields = fields,
    };

    private static FieldChange Field(string name, JsonNode? old, JsonNode? @new) => new(name, old, @new);

    [Fact]
    public void Each_kind_of_change_is_said_in_German_with_the_radars_labels()
    {
        Assert.Equal("Öffentliches WLAN neu im Radar", ChangeWording.Title(Change(ChangeKinds.Created, Field("title", null, "Öffentliches WLAN")), Radar));
        Assert.Equal("Öffentliches WLAN: Status von „In Planung“ zu „In Umsetzung“",
            ChangeWording.Title(Change(ChangeKinds.StatusChanged, Field("status", "in-planung", "in-umsetzung")), Radar));
        Assert.Equal("Öffentliches WLAN aktualisiert: Fortschritt 40 % → 60 %, Ziele",
            ChangeWording.Title(Change(ChangeKinds.Updated, Field("goals", new JsonArray("a"), new JsonArray("a", "b")), Field("progress", 40, 60), Field("updated", "2020-01-01T00:00:00Z", "2020-02-01T00:00:00Z")), Radar));
        Assert.Equal("Öffentliches WLAN aus dem Radar entfernt", ChangeWording.Title(Change(ChangeKinds.Removed), Radar));
        Assert.Equal("Öffentliches WLAN wieder im Radar", ChangeWording.Title(Change(ChangeKinds.Restored, Field("progress", 40, 60)), Radar));
    }

    [Fact]
    public void Short_values_are_shown_as_readers_read_them_and_long_ones_by_name()
    {
        var change = Change(ChangeKinds.Updated,
            Field("area", "stadtverwaltung", "infrastruktur"),
            Field("end", null, "2027-12-31"),
            Field("description", "alt", "neu"),
            Field("progress", null, 15));

        Assert.Equal("Öffentliches WLAN aktualisiert: Fortschritt 15 %, Bereich „Stadtverwaltung“ → „Infrastruktur“, Beschreibung, Ende 31.12.2027",
            ChangeWording.Title(change, Radar));
        Assert.Equal("Geändert: Fortschritt 15 %, Bereich „Stadtverwaltung“ → „Infrastruktur“, Beschreibung, Ende 31.12.2027. Bereich: Infrastruktur. Status: In Umsetzung.",
            ChangeWording.Summary(change, Radar));
    }

    [Fact]
    public void A_status_change_with_other_edits_names_them_in_the_summary()
    {
        var change = Change(ChangeKinds.StatusChanged, Field("status", "in-planung", "in-umsetzung"), Field("progress", 40, 60));

        Assert.Equal("Status von „In Planung“ zu „In Umsetzung“. Außerdem geändert: Fortschritt 40 % → 60 %. Bereich: Infrastruktur. Status: In Umsetzung.",
            ChangeWording.Summary(change, Radar));
    }

    [Fact]
    public void Unknown_ids_fall_back_to_the_id()
    {
        Assert.Equal("Öffentliches WLAN: Status von „in-planung“ zu „in-umsetzung“", ChangeWording.Title(Change(ChangeKinds.StatusChanged), radar: null));
    }
}

public class FeedRequestTests
{
    [Fact]
    public void The_same_saved_search_written_two_ways_has_one_canonical_form()
    {
        var a = new FeedRequest { Areas = ["infrastruktur", "stadtverwaltung"], Types = ["news", "change"], Tags = ["WLAN"], Limit = 20 };
        var b = new FeedRequest { Tags = ["WLAN"], Areas = ["stadtverwaltung", "infrastruktur"] };

        Assert.Equal(a.Canonical(), b.Canonical());
        Assert.Equal("area=infrastruktur&area=stadtverwaltung&tag=WLAN", a.Canonical());
        Assert.Equal("limit=7&q=wlan&type=news", new FeedRequest { Query = "wlan", Types = ["news"], Limit = 7 }.Canonical());
    }
}

public class StatusPaletteTests
{
    [Fact]
    public void Default_colours_are_distinct_and_readable_on_white()
    {
        Assert.Equal(StatusPalette.Defaults.Count, StatusPalette.Defaults.Distinct().Count());
        Assert.All(StatusPalette.Defaults, c => Assert.True(StatusPalette.Contrast(c, "#ffffff") >= 4.5, $"{c}: {StatusPalette.Contrast(c, "#ffffff"):0.00}:1"));
    }

    [Fact]
    public void A_definitions_own_colour_wins_and_every_other_ring_gets_its_default()
    {
        var radar = new RadarDefinition
        {
            Id = "x",
            Title = "X",
            Areas = [new("a", "A")],
            Statuses = [new("eins", "Eins"), new("zwei", "Zwei", Color: "#123456"), new("drei", "Drei")],
        };

        Assert.Equal(["#1b7a3e", "#123456", "#9a5200"], StatusPalette.Apply(radar).Statuses.Select(s => s.Color));
    }
}
