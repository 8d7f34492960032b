using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;
using Radar.Core.Sources;

namespace Radar.Core.Measures;

/// <summary>
/// Reads measures from CSV as an office in Germany exports it from Excel: <c>;</c> separated
/// (<c>,</c> or tab when the header line has no <c>;</c>), UTF-8 with or without BOM or
/// Windows-1252, German or English headers in any order, lists split by <c>|</c>, dates as
/// <c>01.07.2019</c> or <c>2019-07-01</c>. Without an id column, the id is made from the title.
/// Lists of KPIs are written <c>Name=Wert Einheit@Datum</c>, links <c>Titel https://…</c>.
/// </summary>
public static partial class CsvMeasureReader
{
    private static readonly Dictionary<string, string[]> Aliases = new(StringComparer.Ordinal)
    {
        ["id"] = ["id", "kennung", "massnahmen-id", "measure-id", "slug"],
        ["title"] = ["title", "titel", "massnahme", "name", "bezeichnung"],
        ["summary"] = ["summary", "zusammenfassung", "kurzbeschreibung"],
        ["description"] = ["description", "beschreibung"],
        ["area"] = ["area", "kernbereich", "bereich"],
        ["field"] = ["field", "handlungsfeld", "field-of-action"],
        ["departments"] = ["departments", "department", "referat", "referate", "abteilung", "abteilungen", "zustaendigkeit", "federfuehrung"],
        ["status"] = ["status"],
        ["progress"] = ["progress", "fortschritt"],
        ["goals"] = ["goals", "ziele"],
        ["achievements"] = ["achievements", "erfolge", "ergebnisse"],
        ["highlights"] = ["highlights"],
        ["outlook"] = ["outlook", "ausblick"],
        ["kpis"] = ["kpis", "kpi", "kennzahlen"],
        ["tags"] = ["tags", "schlagworte", "schlagwoerter", "stichwoerter", "stichworte"],
        ["links"] = ["links", "link", "weblinks"],
        ["start"] = ["start", "beginn"],
        ["end"] = ["end", "ende"],
        ["updated"] = ["updated", "aktualisiert", "stand", "zuletzt-aktualisiert"],
    };

    private static readonly string[] Required = ["title", "area", "status"];
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static MeasureSourceContent Read(ReadOnlyMemory<byte> content, RadarDefinition radar)
    {
        var text = Decode(content.Span);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new SourceContentException("The file is empty.");
        }

        var separator = ';';
        var firstLineEnd = text.IndexOfAny(['\r', '\n']);
        var firstLine = firstLineEnd < 0 ? text : text[..firstLineEnd];
        if (firstLine.StartsWith("sep=", StringComparison.OrdinalIgnoreCase) && firstLine.Length == 5)
        {
            // Excel's "sep=;" line names the separator and is not the header.
            separator = firstLine[4];
            text = firstLineEnd < 0 ? "" : text[(firstLineEnd + 1)..].TrimStart('\n');
        }
        else
        {
            separator = firstLine.Contains(';', StringComparison.Ordinal) ? ';'
                : firstLine.Contains('\t', StringComparison.Ordinal) ? '\t'
                : firstLine.Contains(',', StringComparison.Ordinal) ? ',' : ';';
        }

        var malformed = new List<SkippedRecord>();
        var options = CsvReaderOptions.Default with
        {
            Separator = separator,
            HasHeader = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            AllowLineBreaksInQuotes = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MaxRecordSize = 1024 * 1024,
            FormatProvider = German,
            OnMalformedRecord = record => malformed.Add(new SkippedRecord(null, (int)record.LineNumber, null,
                $"Malformed CSV ({Describe(record.Reason)}) in \"{Shorten(record.RawRecord)}\".")),
        };

        using var csv = CsvReader.FromText(text, options);
        string[] header;
        try
        {
            header = [.. csv.Headers];
        }
        catch (CsvFormatException ex)
        {
            throw new SourceContentException($"The header line cannot be read: {ex.Message}");
        }

        if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
        {
            throw new SourceContentException("The file has no header line.");
        }

        var columns = MapColumns(header);
        var missing = Required.Where(r => !columns.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw new SourceContentException(
                $"Missing required column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(Describe))}; " +
                $"the header has: {string.Join(", ", header.Select(h => $"'{h}'"))} (separator '{(separator == '\t' ? "tab" : separator.ToString())}').");
        }

        var drafts = new List<MeasureDraft>();
        while (csv.Read())
        {
            string? Get(string field) =>
                columns.TryGetValue(field, out var index) && index < csv.FieldCount ? Unprotect(csv.GetString(index)) : null;

            if (Enumerable.Range(0, csv.FieldCount).All(csv.IsEmpty))
            {
                continue; // a line of only separators, as Excel leaves below a table
            }

            var draft = new MeasureDraft { Line = (int)csv.LineNumber };
            try
            {
                draft.Title = Get("title");
                draft.Id = Get("id") is { Length: > 0 } id ? id : Slug.From(draft.Title, MeasureValidator.MaxIdLength) is { Length: > 0 } s ? s : null;
                draft.Summary = Get("summary");
                draft.Description = Get("description");
                draft.Area = Get("area");
                draft.Field = Get("field");
                draft.Departments = List(Get("departments"));
                draft.Status = Get("status");
                draft.Progress = Progress(Get("progress"));
                draft.Goals = List(Get("goals"));
                draft.Achievements = List(Get("achievements"));
                draft.Highlights = List(Get("highlights"));
                draft.Outlook = Get("outlook");
                draft.Kpis = [.. List(Get("kpis")).Select(Kpi)];
                draft.Tags = List(Get("tags"));
                draft.Links = [.. List(Get("links")).Select(Link)];
                draft.Start = Date(Get("start"), "start");
                draft.End = Date(Get("end"), "end");
                draft.Updated = Timestamp(Get("updated"));
            }
            catch (FormatException ex)
            {
                draft.ReadError = ex.Message;
            }

            drafts.Add(draft);
        }

        var result = MeasureSourceReading.Finish(radar, drafts);
        if (malformed.Count == 0)
        {
            return result;
        }

        // A malformed record has no trustworthy id; the ids around it are unaffected.
        return result with { Skipped = [.. result.Skipped.Concat(malformed).OrderBy(r => r.Line)] };
    }

    /// <summary>Takes off the <c>'</c> that writers (Radar's own CSV download among them) put in
    /// front of text a spreadsheet would run as a formula (<c>'=…</c>, <c>'+…</c>, <c>'-…</c>,
    /// <c>'@…</c>): it is protection, not content.</summary>
    private static string? Unprotect(string? value) =>
        value is ['\'', '=' or '+' or '-' or '@' or '\t' or '\r', ..] ? value[1..] : value;

    /// <summary>UTF-8 when it has a BOM or decodes cleanly; otherwise Windows-1252 (what Excel
    /// writes for "CSV (Trennzeichen-getrennt)" on a German Windows).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            using var reader = new StreamReader(new MemoryStream(bytes.ToArray()), detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252).GetString(bytes);
        }
    }

    private static Dictionary<string, int> MapColumns(string[] header)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var key = Slug.From(header[i]);
            foreach (var (field, aliases) in Aliases)
            {
                if (aliases.Contains(key) && !columns.ContainsKey(field))
                {
                    columns[field] = i;
                }
            }
        }

        return columns;
    }

    private static string Describe(string field) =>
        field switch
        {
            "title" => "'Titel' (title)",
            "area" => "'Kernbereich' (area)",
            "status" => "'Status' (status)",
            _ => $"'{field}'",
        };

    private static List<string> List(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : [.. value.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static int? Progress(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var number = value.Replace("%", "", StringComparison.Ordinal).Trim();
        return int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var progress)
            ? progress
            : throw new FormatException($"'Fortschritt' (progress) must be a whole number from 0 to 100, not '{value}'.");
    }

    /// <summary><c>Hotspots=1200 Stück@30.06.2024</c>: name, value, optional unit and date.</summary>
    private static MeasureKpi Kpi(string item)
    {
        var match = KpiPattern().Match(item);
        if (!match.Success || ParseNumber(match.Groups["value"].Value) is not { } value)
        {
            throw new FormatException($"KPI '{item}' is not written as 'Name=Wert Einheit@Datum' (e.g. 'Hotspots=1200 Stück@30.06.2024').");
        }

        var unit = match.Groups["unit"].Value.Trim();
        return new MeasureKpi(
            match.Groups["name"].Value.Trim(),
            value,
            unit.Length == 0 ? null : unit,
            match.Groups["date"].Success ? Date(match.Groups["date"].Value, "KPI date") : null);
    }

    /// <summary><c>Titel https://…</c> or just the URL.</summary>
    private static MeasureLink Link(string item)
    {
        var at = item.IndexOf("http://", StringComparison.OrdinalIgnoreCase) is var h && h >= 0
            ? h
            : item.IndexOf("https://", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return new MeasureLink(item, "");
        }

        var title = item[..at].Trim().TrimEnd(':', '-', '–', '(', '<').Trim();
        var url = item[at..].Trim().TrimEnd(')', '>');
        return new MeasureLink(title, url);
    }

    private static double? ParseNumber(string text)
    {
        text = text.Trim();
        // In a German file "1.234" is a thousand and "1,5" one and a half.
        var culture = text.Contains(',', StringComparison.Ordinal) || GroupedThousands().IsMatch(text) ? German : CultureInfo.InvariantCulture;
        return double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, culture, out var value) ? value : null;
    }

    private static DateOnly? Date(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return DateOnly.TryParseExact(value.Trim(), ["dd.MM.yyyy", "d.M.yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new FormatException($"'{name}' must be a date like 01.07.2019 or 2019-07-01, not '{value}'.");
    }

    /// <summary>A German office's "Stand" is local time in Germany; a date alone is that day.</summary>
    private static DateTimeOffset? Timestamp(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var iso) && text.Contains('T', StringComparison.Ordinal))
        {
            return iso;
        }

        if (DateTime.TryParseExact(text, ["dd.MM.yyyy HH:mm", "d.M.yyyy H:mm", "dd.MM.yyyy HH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            var berlin = BerlinTime();
            return new DateTimeOffset(local, berlin.GetUtcOffset(local)).ToUniversalTime();
        }

        return Date(text, "Stand (updated)") is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
    }

    private static TimeZoneInfo BerlinTime()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a stray quote",
        CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote",
        CsvMalformedReason.UnterminatedQuote => "a quote that is never closed",
        CsvMalformedReason.LineBreakInQuotes => "a line break inside quotes",
        _ => reason.ToString(),
    };

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 60 ? text.Trim() : text[..60].Trim() + "…";

    [GeneratedRegex(@"^\s*(?<name>[^=]+?)\s*=\s*(?<value>-?[\d.,]+)\s*(?<unit>[^@]*?)\s*(@\s*(?<date>\S+))?\s*$")]
    private static partial Regex KpiPattern();

    [GeneratedRegex(@"^-?\d{1,3}(\.\d{3})+$")]
    private static partial Regex GroupedThousands();
}
