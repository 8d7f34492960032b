using System.Text;
using Radar.Core.Measures;
using Radar.Core.Sources;

namespace Radar.Core.Tests.Measures;

public class CsvMeasureReaderTests
{
    private static readonly RadarDefinition Muster =
        JsonMeasureReader.ReadDefinition(File.ReadAllBytes(Path.Combine(TestDocs.SamplesFolder, "musterstadt.radar.json")));

    private static readonly RadarDefinition Test = JsonMeasureReader.ReadDefinition(TestDocs.Utf8(TestDocs.Doc()));

    static CsvMeasureReaderTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public void The_Musterstadt_sample_in_Windows_1252_with_German_headers_is_read()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestDocs.SamplesFolder, "musterstadt.csv"));
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(bytes)); // really not UTF-8

        var content = CsvMeasureReader.Read(bytes, Muster);

        Assert.Equal(9, content.Measures.Count);
        var konto = content.Measures.Single(m => m.Id == "buergerkonto");
        Assert.Equal("Bürgerkonto und Online-Anträge", konto.Title);
        Assert.Equal("Ein Konto für alle Online-Anträge der Stadt; Bescheide kommen ins digitale Postfach.", konto.Summary);
        Assert.Equal("buergerservice", konto.Area);
        Assert.Equal("laufend", konto.Status);
        Assert.Equal(55, konto.Progress);
        Assert.Equal(["Hauptamt", "Bürgeramt"], konto.Departments);
        Assert.Equal([18d, 31d, 42d], konto.Kpis.Select(k => k.Value));
        Assert.Equal(new DateOnly(2024, 12, 31), konto.Kpis[2].AsOf);
        Assert.Equal("Dienste", konto.Kpis[0].Unit);
        Assert.Equal(new MeasureLink("Serviceportal", "https://www.example.org/service"), Assert.Single(konto.Links));
        Assert.Equal(new DateOnly(2022, 3, 1), konto.Start);
        // 15.01.2025 10:30 in Germany is 09:30 UTC (winter time).
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 9, 30, 0, TimeSpan.Zero), konto.Updated);
        Assert.Equal(18400d, content.Measures.Single(m => m.Id == "stadtbuecherei-onleihe").Kpis[0].Value);
        Assert.Equal("laufend", content.Measures.Single(m => m.Id == "e-akte-rathaus").Status); // typed "LAUFEND"
        var skipped = Assert.Single(content.Skipped);
        Assert.Equal(11, skipped.Line);
        Assert.Equal("klimadaten-offen", skipped.Id);
        Assert.Contains("Unknown status 'Idee'", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void UTF8_with_BOM_and_English_headers_in_another_order_is_read()
    {
        var csv = "\uFEFFStatus;Title;Area;Departments;Tags;Start;ID\r\n" +
                  "In Umsetzung;Öffentliches WLAN;Infrastruktur;IT-Referat|Stadtwerke München;WLAN|Hotspot;2019-07-01;oeffentliches-wlan\r\n";

        var content = CsvMeasureReader.Read(Encoding.UTF8.GetBytes(csv), Test);

        var measure = Assert.Single(content.Measures);
        Assert.Equal("oeffentliches-wlan", measure.Id);
        Assert.Equal("Öffentliches WLAN", measure.Title);
        Assert.Equal("in-umsetzung", measure.Status);
        Assert.Equal(["WLAN", "Hotspot"], measure.Tags);
        Assert.Equal(new DateOnly(2019, 7, 1), measure.Start);
    }

    [Fact]
    public void Without_an_id_column_the_id_is_made_from_the_title()
    {
        var csv = "Titel;Kernbereich;Status\nDigitale Stadtbibliothek für alle;Stadtgesellschaft;Umgesetzt\n";

        var measure = Assert.Single(CsvMeasureReader.Read(Encoding.UTF8.GetBytes(csv), Test).Measures);

        Assert.Equal("digitale-stadtbibliothek-fuer-alle", measure.Id);
    }

    [Theory]
    [InlineData("Titel;Kernbereich;Referat\nWLAN;Infrastruktur;IT-Referat\n", "'Status' (status)")]
    [InlineData("Titel;Status\nWLAN;Umgesetzt\n", "'Kernbereich' (area)")]
    [InlineData("Name,Bereich,Zustand\nWLAN,Infrastruktur,Umgesetzt\n", "'Status' (status)")]
    public void A_missing_required_column_fails_the_source_and_names_the_column(string csv, string column)
    {
        var error = Assert.Throws<SourceContentException>(() => CsvMeasureReader.Read(Encoding.UTF8.GetBytes(csv), Test));

        Assert.Contains("Missing required column", error.Message, StringComparison.Ordinal);
        Assert.Contains(column, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_fails_the_source()
    {
        var error = Assert.Throws<SourceContentException>(() => CsvMeasureReader.Read(Array.Empty<byte>(), Test));

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_rows_are_skipped_with_their_line_and_reason()
    {
        var csv = "ID;Titel;Kernbereich;Status;Fortschritt;Beginn;Kennzahlen\n" +
                  "gut;Gute Maßnahme;Infrastruktur;Umgesetzt;100;01.07.2019;Hotspots=1.200 Stück@30.06.2024\n" +
                  "bereich;Falscher Bereich;Weltraum;Umgesetzt;;;\n" +
                  "status;Falscher Status;Infrastruktur;Vielleicht;;;\n" +
                  "datum;Falsches Datum;Infrastruktur;Idee;;32.13.2019;\n" +
                  "prozent;Zu viel;Infrastruktur;Idee;150;;\n" +
                  "kpi;Kaputte Kennzahl;Infrastruktur;Idee;;;Hotspots ungefähr viele\n" +
                  ";;;;;;\n" +
                  "auch-gut;\"Mehrzeilige\nMaßnahme\";Stadtgesellschaft;In Planung;;;\n";

        var content = CsvMeasureReader.Read(Encoding.UTF8.GetBytes(csv), Test);

        Assert.Equal(["gut", "auch-gut"], content.Measures.Select(m => m.Id));
        Assert.Equal(1200d, content.Measures[0].Kpis[0].Value);
        Assert.Equal("Mehrzeilige\nMaßnahme", content.Measures[1].Title);
        var byLine = content.Skipped.ToDictionary(s => s.Line!.Value, s => s.Reason);
        Assert.Equal([3, 4, 5, 6, 7], byLine.Keys.Order());
        Assert.Contains("Unknown area 'Weltraum'", byLine[3], StringComparison.Ordinal);
        Assert.Contains("Unknown status 'Vielleicht'", byLine[4], StringComparison.Ordinal);
        Assert.Contains("01.07.2019", byLine[5], StringComparison.Ordinal);
        Assert.Contains("from 0 to 100", byLine[6], StringComparison.Ordinal);
        Assert.Contains("Name=Wert", byLine[7], StringComparison.Ordinal);
        Assert.Equal("line 3", content.Skipped.First(s => s.Line == 3).Where);
    }

    [Fact]
    public void Duplicate_ids_in_a_CSV_skip_both_rows()
    {
        var csv = "ID;Titel;Kernbereich;Status\nx;Eins;Infrastruktur;Idee\ny;Zwei;Infrastruktur;Idee\nx;Drei;Infrastruktur;Idee\n";

        var content = CsvMeasureReader.Read(Encoding.UTF8.GetBytes(csv), Test);

        Assert.Equal(["y"], content.Measures.Select(m => m.Id));
        Assert.Equal([2, 4], content.Skipped.Select(s => s.Line!.Value));
        Assert.Contains("also at line 4", content.Skipped[0].Reason, StringComparison.Ordinal);
    }
}
