using System.Globalization;
using CsvHelper;
using Radar.Core.Measures;

namespace Radar.Core.OpenData;

/// <summary>
/// Writes measures as CSV that German Excel opens by double-click (CsvHelper): <c>;</c> between
/// fields, UTF-8 with BOM (else Excel reads Windows-1252 and breaks umlauts), dates
/// <c>TT.MM.JJJJ</c>, <c>Stand</c> as Berlin local time <c>TT.MM.JJJJ hh:mm:ss</c>, German
/// numbers, German headers. Every column is one <see cref="CsvMeasureReader"/> maps back: lists
/// joined by <c> | </c>, KPIs <c>Name=Wert Einheit@Datum</c>, links <c>Titel https://…</c>, area and
/// status by their labels. Text that a spreadsheet would run as a formula (<c>= + - @</c> first)
/// gets a leading <c>'</c>, which the reader takes off again.
/// </summary>
public static class GermanCsvWriter
{
    public static readonly string[] Header =
    [
        "ID", "Titel", "Zusammenfassung", "Beschreibung", "Kernbereich", "Handlungsfeld", "Referate", "Status", "Fortschritt",
        "Ziele", "Erfolge", "Highlights", "Ausblick", "Kennzahlen", "Schlagworte", "Links", "Beginn", "Ende", "Stand",
    ];

    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        Separator = ';',
        WriteByteOrderMark = true,
        FormatProvider = German,
        Injection = CsvInjection.Escape,
    };

    public static byte[] Write(RadarDefinition radar, IEnumerable<Measure> measures)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, Options, leaveOpen: true))
        {
            csv.WriteHeader(Header);
            foreach (var m in measures)
            {
                csv.WriteRecord(
                [
                    m.Id,
                    m.Title,
                    m.Summary,
                    m.Description,
                    radar.Areas.FirstOrDefault(a => a.Id == m.Area)?.Label ?? m.Area,
                    m.Field,
                    List(m.Departments),
                    radar.Statuses.FirstOrDefault(s => s.Id == m.Status)?.Label ?? m.Status,
                    m.Progress?.ToString(CultureInfo.InvariantCulture),
                    List(m.Goals),
                    List(m.Achievements),
                    List(m.Highlights),
                    m.Outlook,
                    List(m.Kpis.Select(Kpi)),
                    List(m.Tags),
                    List(m.Links.Select(l => l.Title.Length == 0 ? l.Url : l.Title + " " + l.Url)),
                    Date(m.Start),
                    Date(m.End),
                    m.Updated is { } updated ? TimeZoneInfo.ConvertTime(updated, BerlinTime.Zone).ToString("dd.MM.yyyy HH:mm:ss", CultureInfo.InvariantCulture) : null,
                ]);
            }
        }

        return buffer.ToArray();
    }

    public static string? Date(DateOnly? date) => date?.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    private static string? List(IEnumerable<string> items) => string.Join(" | ", items) is { Length: > 0 } joined ? joined : null;

    /// <summary><c>Hotspots=1200 Stück@30.06.2024</c>, the value in German notation (<c>1,5</c>).</summary>
    private static string Kpi(MeasureKpi kpi) =>
        kpi.Name + "=" + kpi.Value.ToString("0.###############", German) + (kpi.Unit is { Length: > 0 } unit ? " " + unit : "") +
        (kpi.AsOf is { } asOf ? "@" + Date(asOf) : "");
}
