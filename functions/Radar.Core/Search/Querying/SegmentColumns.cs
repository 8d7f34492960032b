using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Radar.Core.Search.Querying;

/// <summary>
/// The facet doc values of one segment, read once into plain arrays (ordinal per document), so
/// counting a facet over a large match set is an array increment per document instead of a
/// virtual doc-values call. Built when a searcher is warmed (new segments only: segments are
/// immutable, so the arrays are kept per segment core and survive refreshes and deletes).
/// </summary>
internal sealed class SegmentColumns
{
    private static readonly ConditionalWeakTable<object, SegmentColumns> Cache = new();

    private SegmentColumns(AtomicReader reader)
    {
        Type = Single(reader, SearchFields.Type);
        Area = Single(reader, SearchFields.Area);
        Status = Single(reader, SearchFields.Status);
        Department = Multi(reader, SearchFields.Department);
        Year = Years(reader);
        Radar = Single(reader, SearchFields.Radar);
    }

    public SingleColumn Type { get; }
    public SingleColumn Area { get; }
    public SingleColumn Status { get; }
    public MultiColumn Department { get; }
    public SingleColumn Year { get; }
    public SingleColumn Radar { get; }

    public static SegmentColumns For(AtomicReader reader) =>
        Cache.GetValue(reader.CoreCacheKey, _ => new SegmentColumns(reader));

    private static SingleColumn Single(AtomicReader reader, string name)
    {
        var ords = new int[reader.MaxDoc];
        var values = reader.GetSortedDocValues(SearchFields.Facet(name));
        if (values is null)
        {
            Array.Fill(ords, -1);
            return new SingleColumn(ords, []);
        }
        for (var doc = 0; doc < ords.Length; doc++)
        {
            ords[doc] = values.GetOrd(doc);
        }
        var labels = new string[values.ValueCount];
        var bytes = new BytesRef();
        for (var ord = 0; ord < labels.Length; ord++)
        {
            values.LookupOrd(ord, bytes);
            labels[ord] = bytes.Utf8ToString();
        }
        return new SingleColumn(ords, labels);
    }

    private static MultiColumn Multi(AtomicReader reader, string name)
    {
        var starts = new int[reader.MaxDoc + 1];
        var values = reader.GetSortedSetDocValues(SearchFields.Facet(name));
        if (values is null)
        {
            return new MultiColumn(starts, [], []);
        }
        var ords = new List<int>();
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            starts[doc] = ords.Count;
            values.SetDocument(doc);
            long ord;
            while ((ord = values.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS)
            {
                ords.Add((int)ord);
            }
        }
        starts[reader.MaxDoc] = ords.Count;
        var labels = new string[values.ValueCount];
        var bytes = new BytesRef();
        for (var ord = 0; ord < labels.Length; ord++)
        {
            values.LookupOrd(ord, bytes);
            labels[ord] = bytes.Utf8ToString();
        }
        return new MultiColumn(starts, [.. ords], labels);
    }

    private static SingleColumn Years(AtomicReader reader)
    {
        var ords = new int[reader.MaxDoc];
        var dates = reader.GetNumericDocValues(SearchFields.Date);
        var present = reader.GetDocsWithField(SearchFields.Date);
        if (dates is null || present is null)
        {
            Array.Fill(ords, -1);
            return new SingleColumn(ords, []);
        }
        var years = new int[reader.MaxDoc];
        int min = int.MaxValue, max = int.MinValue;
        for (var doc = 0; doc < years.Length; doc++)
        {
            if (!present.Get(doc))
            {
                years[doc] = int.MinValue;
                continue;
            }
            var year = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(dates.Get(doc), -62135596800000L, 253402300799999L)).Year;
            years[doc] = year;
            min = Math.Min(min, year);
            max = Math.Max(max, year);
        }
        if (min > max)
        {
            Array.Fill(ords, -1);
            return new SingleColumn(ords, []);
        }
        var labels = Enumerable.Range(min, max - min + 1).Select(year => year.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        for (var doc = 0; doc < years.Length; doc++)
        {
            ords[doc] = years[doc] == int.MinValue ? -1 : years[doc] - min;
        }
        return new SingleColumn(ords, labels);
    }
}

/// <summary>One value per document: <c>Ords[doc]</c> indexes <c>Labels</c>, -1 for none.</summary>
internal sealed record SingleColumn(int[] Ords, string[] Labels);

/// <summary>Several values per document: <c>Ords[Starts[doc]..Starts[doc + 1]]</c>.</summary>
internal sealed record MultiColumn(int[] Starts, int[] Ords, string[] Labels);
