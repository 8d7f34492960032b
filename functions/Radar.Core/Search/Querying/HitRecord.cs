using System.Globalization;
using System.Text;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Radar.Core.Search.Querying;

/// <summary>
/// What a hit shows, in one binary doc value per document: a search reads 20 of these directly
/// from the memory-mapped index instead of decompressing stored-field chunks (which cost about
/// 190 µs a hit here, most of a search's time). The body, for snippets, gets a doc value of its
/// own. Doc values hold at most 32,766 bytes a document: longer text stays in the stored fields
/// only and is read from there.
/// </summary>
internal sealed record HitRecord(
    string Type, string Id, string Title, string? Url, string? Area, string? Status,
    IReadOnlyList<string> Departments, long? Date, string? Radar, string? Summary, bool SummaryComplete)
{
    public const string Field = "dv.hit";
    public const string BodyField = "dv.body";
    public const int MaxBytes = 32_766;

    private const char Separator = '\u001f';     // text is cleaned of control characters
    private const char ListSeparator = '\u001e';

    public static BytesRef Encode(string type, string id, string title, string url, string area, string status,
        IEnumerable<string> departments, long? date, string radar, string summary)
    {
        var head = string.Join(Separator, type, id, title, url, area, status,
            string.Join(ListSeparator, departments), date?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, radar);
        var headBytes = Encoding.UTF8.GetByteCount(head);
        var room = MaxBytes - headBytes - 3;
        if (room < 0)
        {
            head = string.Join(Separator, type, id, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, radar);
            room = MaxBytes - Encoding.UTF8.GetByteCount(head) - 3;
        }
        var complete = Encoding.UTF8.GetByteCount(summary) <= room;
        var shown = complete ? summary : Truncate(summary, room);
        return new BytesRef(Encoding.UTF8.GetBytes(string.Concat(head, Separator.ToString(), complete ? "1" : "0", Separator.ToString(), shown)));
    }

    /// <summary>The body as a doc value, or null when it is too long for one.</summary>
    public static BytesRef? EncodeBody(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return bytes.Length <= MaxBytes ? new BytesRef(bytes) : null;
    }

    public static HitRecord? Decode(BytesRef bytes)
    {
        if (bytes.Length == 0)
        {
            return null;
        }
        var parts = Encoding.UTF8.GetString(bytes.Bytes, bytes.Offset, bytes.Length).Split(Separator, 11);
        if (parts.Length < 11)
        {
            return null;
        }
        return new HitRecord(parts[0], parts[1], parts[2], Null(parts[3]), Null(parts[4]), Null(parts[5]),
            parts[6].Length == 0 ? [] : parts[6].Split(ListSeparator),
            long.TryParse(parts[7], NumberStyles.Integer, CultureInfo.InvariantCulture, out var date) ? date : null,
            Null(parts[8]), Null(parts[10]), parts[9] == "1");
    }

    /// <summary>Reads the hit records (and bodies where asked) of documents of a reader.</summary>
    public static (HitRecord? Hit, string? Body) Read(IndexReader reader, int doc, bool withBody)
    {
        var leaves = reader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
        var local = doc - leaf.DocBase;
        var bytes = new BytesRef();
        HitRecord? hit = null;
        var values = leaf.AtomicReader.GetBinaryDocValues(Field);
        if (values is not null)
        {
            values.Get(local, bytes);
            hit = Decode(bytes);
        }
        string? body = null;
        if (withBody && leaf.AtomicReader.GetBinaryDocValues(BodyField) is { } bodies)
        {
            bodies.Get(local, bytes);
            body = bytes.Length == 0 ? null : Encoding.UTF8.GetString(bytes.Bytes, bytes.Offset, bytes.Length);
        }
        return (hit, body);
    }

    private static string? Null(string value) => value.Length == 0 ? null : value;

    private static string Truncate(string text, int maxBytes)
    {
        var length = Math.Min(text.Length, maxBytes);
        while (length > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > maxBytes)
        {
            length = length * 9 / 10;
        }
        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }
        return text[..length];
    }
}
