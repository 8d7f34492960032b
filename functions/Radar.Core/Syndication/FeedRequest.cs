using System.Globalization;
using System.Text;
using Radar.Core.Search;

namespace Radar.Core.Syndication;

/// <summary>What a feed shows: the kinds of entry.</summary>
public static class FeedEntryTypes
{
    public const string Change = SearchDocumentTypes.Change;
    public const string News = SearchDocumentTypes.News;

    /// <summary>A bulk import (an edition, a first import) as one entry. Not a type to ask for:
    /// it comes with <see cref="Change"/>, in feeds that do not narrow to some measures.</summary>
    public const string Edition = "edition";

    public static readonly IReadOnlyList<string> All = [Change, News];
}

/// <summary>
/// A validated feed query: the filters of search (bound by the same binder as <c>/api/search</c>,
/// <c>Radar.Functions/Web</c>) restricted to changes and news, one radar, plus
/// <see cref="MeasureId"/> and the number of entries. A feed URL with these filters is a saved
/// search. It differs from <see cref="SearchRequest"/> in what it asks for — the latest
/// <see cref="Limit"/> entries of one radar, not a ranked page of every radar's documents — so
/// it is a request of its own; <see cref="FeedService"/> turns it into a search when it has a query.
/// </summary>
public sealed record FeedRequest
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = SearchRequest.MaxPageSize;

    /// <summary>The longest measure id a source may give.</summary>
    public const int MaxMeasureIdLength = Measures.MeasureValidator.MaxIdLength;

    public string Query { get; init; } = "";

    /// <summary>Change, news or both (never empty).</summary>
    public IReadOnlyList<string> Types { get; init; } = FeedEntryTypes.All;

    public IReadOnlyList<string> Areas { get; init; } = [];
    public IReadOnlyList<string> Statuses { get; init; } = [];
    public IReadOnlyList<string> Departments { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The radar; null: the default radar.</summary>
    public string? Radar { get; init; }

    /// <summary>One measure's changes and the news related to it.</summary>
    public string? MeasureId { get; init; }

    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Limit { get; init; } = DefaultLimit;

    public bool Wants(string type) => Types.Contains(type, StringComparer.Ordinal);

    /// <summary>True when an entry must belong to a measure with given attributes (news unrelated
    /// to any measure then drop out).</summary>
    public bool FiltersMeasures => Areas.Count > 0 || Statuses.Count > 0 || Departments.Count > 0 || MeasureId is not null || Radar is not null;

    /// <summary>The query in one canonical form (parameters and values sorted, defaults left
    /// out): the key of cached answers and the feed's id. Two URLs that ask the same give the same.</summary>
    public string Canonical()
    {
        var parts = new List<(string Name, string Value)>();
        void Add(string name, IEnumerable<string> values)
        {
            foreach (var value in values.Order(StringComparer.Ordinal))
            {
                parts.Add((name, value));
            }
        }

        if (Query.Length > 0)
        {
            parts.Add(("q", Query));
        }

        if (Types.Count == 1)
        {
            parts.Add(("type", Types[0]));
        }

        Add("area", Areas);
        Add("status", Statuses);
        Add("department", Departments);
        Add("tag", Tags);
        if (Radar is not null)
        {
            parts.Add(("radar", Radar));
        }

        if (MeasureId is not null)
        {
            parts.Add(("measure", MeasureId));
        }

        if (From is { } from)
        {
            parts.Add(("from", from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        }

        if (To is { } to)
        {
            parts.Add(("to", to.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)));
        }

        if (Limit != DefaultLimit)
        {
            parts.Add(("limit", Limit.ToString(CultureInfo.InvariantCulture)));
        }

        var builder = new StringBuilder();
        foreach (var (name, value) in parts.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            builder.Append(builder.Length == 0 ? "" : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }
}
