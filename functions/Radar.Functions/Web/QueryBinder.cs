using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Radar.Core;

namespace Radar.Functions.Web;

/// <summary>A query parameter that could not be bound: its name and what to change.</summary>
public sealed record ParameterError(string Parameter, string Message);

/// <summary>
/// The one reader of query strings. Every route — API, pages, feeds, embed, oEmbed — binds its
/// parameters through it (the typed sets are in <see cref="QueryParameters"/>), so one rule holds
/// everywhere:
/// <list type="bullet">
/// <item>a single-valued parameter given twice is refused ("Give 'q' once."), never "the first wins";</item>
/// <item>a value that does not parse is refused with the parameter's name and what it takes;</item>
/// <item>an empty or blank value is the same as no value (a GET form sends its empty fields);</item>
/// <item>a list is the parameter repeated; ids (<c>type</c>, <c>area</c>, <c>status</c>,
/// <c>radar</c>) may also be comma-separated, names (<c>department</c>, <c>tag</c>) are taken
/// whole, because names contain commas;</item>
/// <item>a parameter the route does not read is ignored (feed readers and trackers add their own).</item>
/// </list>
/// Errors are collected, so one answer names every wrong parameter: the API answers them with a
/// 400 problem (<see cref="Problem.InvalidQuery"/>), a page with its German 400 page.
/// </summary>
public sealed class QueryBinder(IQueryCollection query)
{
    /// <summary>Most values one list takes (an area, a status … is never a long list).</summary>
    public const int MaxListValues = 20;

    public const int MaxValueLength = 100;

    private readonly List<ParameterError> _errors = [];

    public static QueryBinder For(HttpRequest request) => new(request.Query);

    /// <summary>A query string that is not the request's own (the page address oEmbed is given).</summary>
    public static QueryBinder Parse(string? queryString) => new(new QueryCollection(QueryHelpers.ParseQuery(queryString)));

    public IReadOnlyList<ParameterError> Errors => _errors;

    public bool IsValid => _errors.Count == 0;

    /// <summary>Every message, for a problem's or a page's text.</summary>
    public string Message => string.Join(" ", _errors.Select(e => e.Message));

    /// <summary>Why the query is refused, or null when it is not (what a page shows).</summary>
    public string? Refusal => IsValid ? null : Message;

    /// <summary>A single value, trimmed; null when absent or blank.</summary>
    public string? Text(string name)
    {
        var values = query[name];
        if (values.Count > 1)
        {
            Fail(name, $"Give '{name}' once.");
            return null;
        }

        var value = values.Count == 1 ? values[0]?.Trim() : null;
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>A list of ids: repeated or comma-separated (<c>type=measure,news</c>).</summary>
    public IReadOnlyList<string> Ids(string name) => List(name, split: true);

    /// <summary>A list of names: repeated, each value whole (<c>department=Referat für Arbeit, Wirtschaft</c>).</summary>
    public IReadOnlyList<string> Names(string name) => List(name, split: false);

    /// <summary>One id: a slug of lowercase letters, digits and hyphens.</summary>
    public string? Id(string name, int maxLength, string example)
    {
        var value = Text(name);
        if (value is null || Slug.IsValid(value, maxLength))
        {
            return value;
        }

        Fail(name, $"{name} must be one {name} id: lowercase letters, digits and hyphens (e.g. '{example}').");
        return null;
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public int? Number(string name, int min, int max, string? rule = null)
    {
        var value = Text(name);
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        Fail(name, rule ?? $"{name} must be a whole number from {min} to {max}.");
        return null;
    }

    /// <summary>One of the given words (case does not matter).</summary>
    public T? Choice<T>(string name, IReadOnlyDictionary<string, T> choices, string rule)
        where T : struct
    {
        var value = Text(name);
        if (value is null)
        {
            return null;
        }

        if (choices.TryGetValue(value, out var choice))
        {
            return choice;
        }

        Fail(name, rule);
        return null;
    }

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public bool? Flag(string name) =>
        Choice(name, Flags, $"{name} must be true or false.");

    /// <summary>A day (<c>YYYY-MM-DD</c>, the whole day: as an upper bound it includes that day)
    /// or an instant (ISO 8601).</summary>
    public DateTimeOffset? Time(string name, bool upperBound)
    {
        var value = Text(name);
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return upperBound ? start.AddDays(1) : start;
        }

        if (value.Length > 10 && value.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant;
        }

        Fail(name, $"{name} must be a date (YYYY-MM-DD) or a date and time (ISO 8601); '{Shorten(value)}' is not.");
        return null;
    }

    /// <summary>Records a rule the parameter breaks that only the route knows (<c>from</c> after <c>to</c>).</summary>
    public void Fail(string name, string message) => _errors.Add(new ParameterError(name, message));

    public static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static readonly Dictionary<string, bool> Flags = new(StringComparer.OrdinalIgnoreCase) { ["true"] = true, ["false"] = false };

    private List<string> List(string name, bool split)
    {
        var values = query[name]
            .SelectMany(v => split
                ? (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [(v ?? "").Trim()])
            .Where(v => v.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (values.Count > MaxListValues)
        {
            Fail(name, $"{name} takes at most {MaxListValues} values.");
            return [];
        }

        if (values.FirstOrDefault(v => v.Length > MaxValueLength) is { } tooLong)
        {
            Fail(name, $"{name} values have at most {MaxValueLength} characters; '{Shorten(tooLong)}' has more.");
            return [];
        }

        return values;
    }
}
