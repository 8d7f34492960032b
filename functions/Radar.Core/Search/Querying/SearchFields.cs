namespace Radar.Core.Search.Querying;

/// <summary>Field names in the Lucene index (see docs/architecture.md, "Fields"): what a
/// document is written as, and what queries, filters, facets and hits read.</summary>
internal static class SearchFields
{
    /// <summary>"type/radar/id" ("type/id" without a radar): the key updates and deletes go by.</summary>
    public const string Key = "key";

    // Stored for the answer.
    public const string Type = "type";
    public const string Id = "id";
    public const string Radar = "radar";
    public const string Url = "url";
    public const string Area = "area";
    public const string Status = "status";
    public const string Department = "department";
    public const string Field = "field";
    public const string Source = "source";
    public const string MeasureId = "measure";

    // Analysed text; title, summary and body also stored, all with offsets in the postings.
    public const string Title = "title";
    public const string Tags = "tags";
    public const string Summary = "summary";
    public const string Body = "body";

    /// <summary>Date as Unix milliseconds: indexed for ranges, doc values for sorting and years.</summary>
    public const string Date = "date";

    // Filters only (no stored field of that name): a tag (folded), a related measure ("radar:measure", exact).
    public const string Tag = "tag";
    public const string Related = "related";

    /// <summary>Exact filter keys (folded), one indexed term per value.</summary>
    public static string Filter(string name) => "f." + name;

    /// <summary>Doc values the facets are counted from (values as shown).</summary>
    public static string Facet(string name) => "dv." + name;

    /// <summary>A read-model record's kind (exact): what the snapshot reads materialise.</summary>
    public const string RecordKind = "r.kind";

    /// <summary>Stored JSON of a record or a news item (the read model).</summary>
    public const string RecordJson = "r.json";

    /// <summary>A news item's listing terms (exact), see <c>NewsListingTerms</c>.</summary>
    public const string Listed = "n.list";

    /// <summary>Sorted doc value of a news item's id: the listing's order among equal dates.</summary>
    public const string ListOrder = "n.order";

    /// <summary>Completion entries: kind, folded key, then what is shown.</summary>
    public const string Complete = "complete";

    /// <summary>Folded words as written, for "did you mean".</summary>
    public const string Spell = "spell";

    public static readonly IReadOnlyDictionary<string, float> TextWeights = new Dictionary<string, float>
    {
        [Title] = 4f,
        [Tags] = 3f,
        [Summary] = 2f,
        [Body] = 1f,
    };

    public static readonly string[] TextFields = [Title, Tags, Summary, Body];
}
