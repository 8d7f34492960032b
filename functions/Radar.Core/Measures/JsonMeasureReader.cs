using System.Globalization;
using System.Text.Json;
using Radar.Core.Sources;

namespace Radar.Core.Measures;

/// <summary>
/// Reads the published JSON import format (DESIGN.md): <c>{ "radar": {…}, "measures": [ … ] }</c>.
/// A file that is not JSON, not of that shape, or empty fails as a whole
/// (<see cref="SourceContentException"/>); a record that breaks the rules is skipped with its index
/// and reason, and the rest goes in.
/// </summary>
public static class JsonMeasureReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public static MeasureSourceContent Read(ReadOnlyMemory<byte> content)
    {
        using var document = Parse(content);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw WrongShape($"the top level is {Describe(root)}");
        }

        if (!root.TryGetProperty("radar", out var radarElement) || radarElement.ValueKind != JsonValueKind.Object)
        {
            throw WrongShape("'radar' (an object with id, title, areas, statuses) is missing");
        }

        if (!root.TryGetProperty("measures", out var measures) || measures.ValueKind != JsonValueKind.Array)
        {
            throw WrongShape(root.TryGetProperty("measures", out var m) ? $"'measures' is {Describe(m)}, not an array" : "'measures' (an array) is missing");
        }

        var radar = ReadRadar(radarElement);
        var edition = ReadEdition(radarElement, radar);
        var drafts = measures.EnumerateArray().Select((element, index) => ReadMeasure(element, index)).ToList();
        return MeasureSourceReading.Finish(radar, drafts) with { Edition = edition };
    }

    /// <summary>Only the <c>radar</c> block of a document in the import format (the definition of a CSV radar).</summary>
    public static RadarDefinition ReadDefinition(ReadOnlyMemory<byte> content) => ReadDefinitionDocument(content).Radar;

    /// <summary>The <c>radar</c> block and its <c>edition</c>, if any (the definition part of a CSV edition).</summary>
    public static (RadarDefinition Radar, EditionInfo? Edition) ReadDefinitionDocument(ReadOnlyMemory<byte> content)
    {
        using var document = Parse(content);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("radar", out var radar) && radar.ValueKind == JsonValueKind.Object)
        {
            var definition = ReadRadar(radar);
            return (definition, ReadEdition(radar, definition));
        }

        throw WrongShape("a radar definition needs an object 'radar' with id, title, areas and statuses");
    }

    /// <summary><c>radar.edition</c>: <c>{ "id": "2022", "title": "…", "published": "2022-07-15",
    /// "introduction": "…" }</c>. Optional; when present it must be right, or the document fails
    /// as a whole (an edition with a wrong date would be dated wrong forever).</summary>
    private static EditionInfo? ReadEdition(JsonElement radar, RadarDefinition definition)
    {
        if (!radar.TryGetProperty("edition", out var edition) || edition.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (edition.ValueKind != JsonValueKind.Object)
        {
            throw InvalidEdition($"'radar.edition' must be an object with id, title, published, not {Describe(edition)}");
        }

        try
        {
            var id = String(edition, "id")?.Trim();
            if (EditionInfo.IdProblem(id) is { } problem)
            {
                throw InvalidEdition($"'radar.edition.id': {problem}");
            }

            var published = String(edition, "published")?.Trim();
            if (!BerlinTime.TryParseDate(published, out var date))
            {
                throw InvalidEdition($"'radar.edition.published' must be a date like 2022-07-15 (got '{published}')");
            }

            var title = String(edition, "title")?.Trim();
            if (title is { Length: > EditionInfo.MaxTitleLength })
            {
                throw InvalidEdition($"'radar.edition.title' is longer than {EditionInfo.MaxTitleLength} characters");
            }

            var introduction = String(edition, "introduction")?.Trim();
            if (introduction is { Length: > EditionInfo.MaxIntroduction })
            {
                throw InvalidEdition($"'radar.edition.introduction' is longer than {EditionInfo.MaxIntroduction} characters");
            }

            return new EditionInfo(id!, string.IsNullOrEmpty(title) ? $"{definition.Title} {id}" : title, date,
                string.IsNullOrEmpty(introduction) ? null : introduction);
        }
        catch (FormatException ex)
        {
            throw InvalidEdition(ex.Message.TrimEnd('.'));
        }
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> content)
    {
        var span = content.Span;
        var start = span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var body = content[start..];
        if (body.Span.Trim((ReadOnlySpan<byte>)[(byte)' ', (byte)'\t', (byte)'\r', (byte)'\n']).IsEmpty)
        {
            throw new SourceContentException("The file is empty.");
        }

        try
        {
            return JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1})" : "";
            throw new SourceContentException($"Not valid JSON{where}: {ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0]}");
        }
    }

    private static RadarDefinition ReadRadar(JsonElement radar)
    {
        var id = String(radar, "id");
        if (!Slug.IsValid(id, 50))
        {
            throw Invalid($"'radar.id' must be a slug like 'muenchen' (got '{id}')");
        }

        var title = String(radar, "title");
        if (string.IsNullOrWhiteSpace(title))
        {
            throw Invalid("'radar.title' is missing");
        }

        return new RadarDefinition
        {
            Id = id!,
            Title = title.Trim(),
            Description = String(radar, "description"),
            Areas = [.. ReadRings(radar, "areas").Select(r => new RadarArea(r.Id, r.Label, r.Description))],
            Statuses = [.. ReadRings(radar, "statuses").Select(r => new RadarStatus(r.Id, r.Label, r.Description, r.Color))],
        };
    }

    private static List<(string Id, string Label, string? Description, string? Color)> ReadRings(JsonElement radar, string name)
    {
        if (!radar.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            throw Invalid($"'radar.{name}' must be a non-empty array of {{\"id\", \"label\"}}");
        }

        var items = new List<(string, string, string?, string?)>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var id = item.ValueKind == JsonValueKind.Object ? String(item, "id") : null;
            if (!Slug.IsValid(id, 50))
            {
                throw Invalid($"'radar.{name}[{index}].id' must be a slug like 'in-umsetzung' (got '{id}')");
            }

            if (items.Any(i => i.Item1 == id))
            {
                throw Invalid($"'radar.{name}' names '{id}' twice");
            }

            var label = String(item, "label");
            var color = String(item, "color");
            if (color is not null && !StatusPalette.IsColor(color))
            {
                throw Invalid($"'radar.{name}[{index}].color' must be a colour like '#0b5cad' (got '{color}')");
            }

            items.Add((id!, string.IsNullOrWhiteSpace(label) ? id! : label.Trim(), String(item, "description"), color?.ToLowerInvariant()));
            index++;
        }

        return items;
    }

    private static MeasureDraft ReadMeasure(JsonElement element, int index)
    {
        var draft = new MeasureDraft { Index = index };
        if (element.ValueKind != JsonValueKind.Object)
        {
            draft.ReadError = $"A measure must be an object, not {Describe(element)}.";
            return draft;
        }

        try
        {
            draft.Id = String(element, "id");
            draft.Title = String(element, "title");
            draft.Summary = String(element, "summary");
            draft.Description = String(element, "description");
            draft.Area = String(element, "area");
            draft.Field = String(element, "field");
            draft.Departments = Strings(element, "departments");
            draft.Status = String(element, "status");
            draft.Progress = Progress(element);
            draft.Goals = Strings(element, "goals");
            draft.Achievements = Strings(element, "achievements");
            draft.Highlights = Strings(element, "highlights");
            draft.Outlook = String(element, "outlook");
            draft.Kpis = Kpis(element);
            draft.Tags = Strings(element, "tags");
            draft.Links = Links(element);
            draft.Start = Date(element, "start");
            draft.End = Date(element, "end");
            draft.Updated = Timestamp(element, "updated");
        }
        catch (FormatException ex)
        {
            draft.ReadError = ex.Message;
        }

        return draft;
    }

    private static string? String(JsonElement parent, string name) =>
        !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new FormatException($"'{name}' must be a string, not {Describe(value)}.");

    /// <summary>An array of strings; a single string is taken as a list of one.</summary>
    private static List<string> Strings(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"'{name}' must be an array of strings, not {Describe(value)}.");
        }

        return [.. value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String
            ? item.GetString()!
            : throw new FormatException($"'{name}' must contain strings only, found {Describe(item)}."))];
    }

    private static int? Progress(JsonElement parent)
    {
        if (!parent.TryGetProperty("progress", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number == Math.Floor(number) && Math.Abs(number) < 1e6
            ? (int)number
            : throw new FormatException($"'progress' must be a whole number from 0 to 100, not {Describe(value)}.");
    }

    private static List<MeasureKpi> Kpis(JsonElement parent)
    {
        if (!parent.TryGetProperty("kpis", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"'kpis' must be an array, not {Describe(value)}.");
        }

        var kpis = new List<MeasureKpi>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"Each of 'kpis' must be an object with name and value, found {Describe(item)}.");
            }

            var name = String(item, "name") ?? "";
            if (!item.TryGetProperty("value", out var number) || number.ValueKind != JsonValueKind.Number)
            {
                throw new FormatException($"KPI '{name}' needs a numeric 'value'.");
            }

            kpis.Add(new MeasureKpi(name, number.GetDouble(), String(item, "unit"), Date(item, "asOf")));
        }

        return kpis;
    }

    private static List<MeasureLink> Links(JsonElement parent)
    {
        if (!parent.TryGetProperty("links", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"'links' must be an array, not {Describe(value)}.");
        }

        return [.. value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object
            ? new MeasureLink(String(item, "title") ?? "", String(item, "url") ?? "")
            : throw new FormatException($"Each of 'links' must be an object with title and url, found {Describe(item)}."))];
    }

    private static DateOnly? Date(JsonElement parent, string name)
    {
        var text = String(parent, name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new FormatException($"'{name}' must be a date like 2019-07-01, not '{text}'.");
    }

    private static DateTimeOffset? Timestamp(JsonElement parent, string name)
    {
        var text = String(parent, name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            && text.Trim().Length >= 10 && char.IsAsciiDigit(text.Trim()[0])
            ? at
            : throw new FormatException($"'{name}' must be a date and time like 2020-07-23T10:00:00Z, not '{text}'.");
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Shorten(value.GetString())}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"{value.GetRawText()}",
        _ => "null",
    };

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "…";

    private static SourceContentException WrongShape(string what) =>
        new($"Wrong shape: expected {{ \"radar\": {{…}}, \"measures\": [ … ] }}, but {what}.");

    private static SourceContentException Invalid(string what) => new($"Invalid radar definition: {what}.");

    private static SourceContentException InvalidEdition(string what) => new($"Invalid edition: {what}.");
}

/// <summary>What every reader does after reading: validate, find duplicate ids.</summary>
internal static class MeasureSourceReading
{
    public static MeasureSourceContent Finish(RadarDefinition radar, IReadOnlyList<MeasureDraft> drafts)
    {
        var skipped = new List<SkippedRecord>();
        var measures = new List<Measure>();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        // Two records with one id: neither can be trusted over the other, so both are skipped and
        // the stored measure with that id stays as it is.
        var duplicates = drafts.Where(d => !string.IsNullOrWhiteSpace(d.Id))
            .GroupBy(d => d.Id!.Trim(), StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var draft in drafts)
        {
            var id = draft.Id?.Trim();
            if (id is not null && duplicates.TryGetValue(id, out var all))
            {
                kept.Add(id);
                var others = all.Where(d => d != draft).Select(d => d.Skip("").Where);
                skipped.Add(draft.Skip($"Duplicate id '{id}' (also at {string.Join(", ", others)}); all records with this id are skipped."));
                continue;
            }

            draft.Id = id;
            var measure = MeasureValidator.Validate(draft, radar, out var reason);
            if (measure is null)
            {
                if (id is not null)
                {
                    kept.Add(id);
                }

                skipped.Add(draft.Skip(reason!));
                continue;
            }

            measures.Add(measure);
        }

        return new MeasureSourceContent(radar, measures, skipped, kept);
    }
}
