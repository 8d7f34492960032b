using System.Globalization;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Radar.Core.Search.Analysis;
using Radar.Core.Search.Querying;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace Radar.Core.Search;

/// <summary>
/// A <see cref="SearchDocument"/> as the index holds it, both ways and in one place: the fields
/// it is written as (see docs/architecture.md, "Fields") and the hit it is read back as. Where
/// measures, news and changes become search documents is <see cref="SearchDocumentMapper"/>.
/// </summary>
internal static class LuceneDocumentMapper
{
    /// <summary>
    /// Index-time weight of a change's text fields. BM25 folds it into the field's norm (the field
    /// looks longer), so a change that repeats its measure's words scores roughly half of the measure.
    /// </summary>
    public const float ChangeWeight = 0.5f;

    private static readonly FieldType StoredText = Frozen(new FieldType(TextField.TYPE_STORED)
    {
        IndexOptions = IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS,
    });

    private static readonly FieldType Text = Frozen(new FieldType(TextField.TYPE_NOT_STORED)
    {
        IndexOptions = IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS,
    });

    // Exact terms given as a token stream: indexed, no positions, no norms, not stored.
    private static readonly FieldType ExactTerms = Frozen(new FieldType
    {
        IsIndexed = true,
        IsTokenized = true,
        OmitNorms = true,
        IndexOptions = IndexOptions.DOCS_ONLY,
    });

    private static readonly ISet<string> StoredHitFields = new HashSet<string>
    {
        SearchFields.Type, SearchFields.Id, SearchFields.Title, SearchFields.Url, SearchFields.Area,
        SearchFields.Status, SearchFields.Department, SearchFields.Date, SearchFields.Summary, SearchFields.Radar,
        SearchFields.Body,
    };

    /// <summary>The key updates and deletes go by: type, radar (measure ids are unique within
    /// their radar only) and id, e.g. "measure/muenchen/oeffentliches-wlan"; "type/id" without a
    /// radar. A news item's key is "news/id" whatever its radar: its id (source and item) is unique
    /// over all radars, and its radar is an attribute that may be learnt later (the default radar
    /// is known only once a radar is stored) — in the key, it made a second document of the item.</summary>
    public static string Key(string type, string id, string? radarId) =>
        string.IsNullOrWhiteSpace(radarId) || type == SearchDocumentTypes.News ? type + "/" + id : type + "/" + radarId.Trim() + "/" + id;

    public static Term KeyTerm(string type, string id, string? radarId) => new(SearchFields.Key, Key(type, id, radarId));

    /// <summary>The texts whose words the compound splitter learns before the document is analysed.</summary>
    public static IEnumerable<string> Texts(SearchDocument document) =>
        new[] { document.Title, document.Summary ?? string.Empty, document.Body ?? string.Empty }.Concat(document.Tags);

    public static LuceneDocument ToLucene(SearchDocument source, RadarAnalyzers analyzers)
    {
        if (source.Type == SearchDocumentTypes.Record)
        {
            return RecordToLucene(source);
        }

        var document = new LuceneDocument
        {
            new StringField(SearchFields.Key, Key(source.Type, source.Id, source.RadarId), Field.Store.NO),
            new StoredField(SearchFields.Type, source.Type),
            new StoredField(SearchFields.Id, source.Id),
        };
        var title = SearchText.Clean(source.Title);
        var summary = SearchText.Clean(source.Summary);
        var body = SearchText.Clean(source.Body);
        // A change repeats its measure's title: with the same words it ranks below the measure.
        var weight = source.Type == SearchDocumentTypes.Change ? ChangeWeight : 1f;
        document.Add(new Field(SearchFields.Title, title, StoredText) { Boost = weight });
        if (summary.Length > 0)
        {
            document.Add(new Field(SearchFields.Summary, summary, StoredText) { Boost = weight });
        }
        var bodyValue = body.Length > 0 ? HitRecord.EncodeBody(body) : null;
        if (body.Length > 0)
        {
            // The body is read from its doc value; stored as well only when too long for one.
            document.Add(new Field(SearchFields.Body, body, bodyValue is null ? StoredText : Text) { Boost = weight });
        }
        foreach (var tag in source.Tags.Where(tag => !string.IsNullOrWhiteSpace(tag)))
        {
            document.Add(new Field(SearchFields.Tags, SearchText.Clean(tag), Text) { Boost = weight });
            document.Add(new StringField(SearchFields.Filter(SearchFields.Tag), GermanFolding.Fold(tag.Trim()), Field.Store.NO));
        }

        Keyword(document, SearchFields.Type, source.Type, facet: true);
        Keyword(document, SearchFields.Area, source.Area, facet: true);
        Keyword(document, SearchFields.Status, source.Status, facet: true);
        Keyword(document, SearchFields.Radar, source.RadarId, facet: true);
        Stored(document, SearchFields.Url, source.Url);
        Stored(document, SearchFields.Field, source.Field);
        Stored(document, SearchFields.Source, source.Source);
        Stored(document, SearchFields.MeasureId, source.MeasureId);
        foreach (var related in source.RelatedMeasures.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).Distinct(StringComparer.Ordinal))
        {
            document.Add(new StringField(SearchFields.Filter(SearchFields.Related), related, Field.Store.NO));
        }
        foreach (var department in source.Departments.Where(d => !string.IsNullOrWhiteSpace(d)).Select(d => d.Trim()).Distinct(StringComparer.Ordinal))
        {
            document.Add(new StoredField(SearchFields.Department, department));
            document.Add(new StringField(SearchFields.Filter(SearchFields.Department), GermanFolding.Fold(department), Field.Store.NO));
            document.Add(new SortedSetDocValuesField(SearchFields.Facet(SearchFields.Department), new BytesRef(department)));
        }
        if (source.Date is { } date)
        {
            var milliseconds = date.ToUnixTimeMilliseconds();
            document.Add(new Int64Field(SearchFields.Date, milliseconds, Field.Store.YES));
            document.Add(new NumericDocValuesField(SearchFields.Date, milliseconds));
        }

        // Cleaned like the text: the hit record separates its parts with control characters.
        var departments = source.Departments.Select(SearchText.Clean).Select(d => d.Trim()).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        document.Add(new BinaryDocValuesField(HitRecord.Field, HitRecord.Encode(SearchText.Clean(source.Type), SearchText.Clean(source.Id), title,
            SearchText.Clean(source.Url).Trim(), SearchText.Clean(source.Area).Trim(), SearchText.Clean(source.Status).Trim(),
            departments, source.Date?.ToUnixTimeMilliseconds(), SearchText.Clean(source.RadarId).Trim(), summary)));
        if (bodyValue is not null)
        {
            document.Add(new BinaryDocValuesField(HitRecord.BodyField, bodyValue));
        }

        if (source.Record is { } json)
        {
            document.Add(new StoredField(SearchFields.RecordJson, json));
        }

        foreach (var listed in source.ListedUnder.Distinct(StringComparer.Ordinal))
        {
            document.Add(new StringField(SearchFields.Listed, listed, Field.Store.NO));
        }

        if (source.ListedUnder.Count > 0)
        {
            document.Add(new SortedDocValuesField(SearchFields.ListOrder, new BytesRef(source.Id)));
        }

        var entries = Completions.For(source, title, summary, analyzers);
        document.Add(new Field(SearchFields.Complete, new ListTokenStream(entries.Complete), ExactTerms));
        document.Add(new Field(SearchFields.Spell, new ListTokenStream(entries.Spell), ExactTerms));
        return document;
    }

    /// <summary>A read-model record: its key, kind and JSON, nothing a search, suggestion, facet
    /// or count could find (no type filter term, no type doc value, no text, no completions).</summary>
    private static LuceneDocument RecordToLucene(SearchDocument source)
    {
        var kind = source.Id[..Math.Max(0, source.Id.IndexOf(':', StringComparison.Ordinal))];
        return
        [
            new StringField(SearchFields.Key, Key(source.Type, source.Id, source.RadarId), Field.Store.NO),
            new StringField(SearchFields.RecordKind, kind, Field.Store.NO),
            new StoredField(SearchFields.RecordJson, source.Record ?? "{}"),
        ];
    }

    /// <summary>
    /// A hit read back for the hit list: its record, and the whole text of the field its snippet
    /// is cut from (<paramref name="snippetField"/>; null: the summary as recorded). The record
    /// comes from the <c>dv.hit</c> doc value and the body from <c>dv.body</c>; what they do not
    /// hold (an index written before hit records, a summary cut short, a body too long for a doc
    /// value) from the stored fields.
    /// </summary>
    public static (HitRecord Record, string? SnippetText) ReadHit(IndexSearcher searcher, int doc, string? snippetField)
    {
        var (record, body) = HitRecord.Read(searcher.IndexReader, doc, withBody: snippetField == SearchFields.Body);
        LuceneDocument? stored = null;
        LuceneDocument Stored() => stored ??= searcher.Doc(doc, StoredHitFields);
        record ??= FromStored(Stored());
        var text = snippetField switch
        {
            null => record.Summary,
            SearchFields.Body => body ?? Stored().Get(SearchFields.Body, CultureInfo.InvariantCulture),
            _ => record.SummaryComplete ? record.Summary : Stored().Get(SearchFields.Summary, CultureInfo.InvariantCulture),
        };
        return (record, text);
    }

    // Written without hit records (an older index): everything from the stored fields.
    private static HitRecord FromStored(LuceneDocument all) =>
        new(all.Get(SearchFields.Type, CultureInfo.InvariantCulture) ?? string.Empty,
            all.Get(SearchFields.Id, CultureInfo.InvariantCulture) ?? string.Empty,
            all.Get(SearchFields.Title, CultureInfo.InvariantCulture) ?? string.Empty,
            all.Get(SearchFields.Url, CultureInfo.InvariantCulture), all.Get(SearchFields.Area, CultureInfo.InvariantCulture),
            all.Get(SearchFields.Status, CultureInfo.InvariantCulture), all.GetValues(SearchFields.Department, CultureInfo.InvariantCulture),
            all.GetField(SearchFields.Date)?.GetInt64Value(), all.Get(SearchFields.Radar, CultureInfo.InvariantCulture),
            all.Get(SearchFields.Summary, CultureInfo.InvariantCulture), SummaryComplete: true);

    // Stored for the answer, an exact folded filter term, and (for facets) a doc value as shown.
    private static void Keyword(LuceneDocument document, string name, string? value, bool facet)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }
        value = value.Trim();
        document.Add(new StoredField(name, value));
        document.Add(new StringField(SearchFields.Filter(name), GermanFolding.Fold(value), Field.Store.NO));
        if (facet)
        {
            document.Add(new SortedDocValuesField(SearchFields.Facet(name), new BytesRef(value)));
        }
    }

    private static void Stored(LuceneDocument document, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            document.Add(new StoredField(name, value));
        }
    }

    private static FieldType Frozen(FieldType type)
    {
        type.Freeze();
        return type;
    }
}
