using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Radar.Core.News.Reading;

/// <summary>The text of a feed and how it was read.</summary>
/// <param name="Encoding">The encoding used, by its web name (<c>utf-8</c>, <c>windows-1252</c>).</param>
/// <param name="Note">Set when the declared encoding was not the one used, and why.</param>
public sealed record DecodedFeed(string Text, string Encoding, string? Note);

/// <summary>
/// Turns feed bytes into text. Order of evidence: a byte order mark; then the HTTP charset and the
/// XML declaration. Bytes that are valid UTF-8 are read as UTF-8 whatever a label says (a label of
/// ISO-8859-1 on a UTF-8 body is the common lie; real Windows-1252 text with umlauts is never
/// valid UTF-8 by accident). A body labelled UTF-8 that is not valid UTF-8 is read as
/// Windows-1252, the encoding such feeds are written in. ISO-8859-1 and US-ASCII labels are read
/// as Windows-1252, as browsers do: it is a superset that also has „“ – and €.
/// </summary>
public static partial class FeedDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Encoding Windows1252 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    /// <summary>Decodes <paramref name="body"/>; null when it has more than
    /// <paramref name="maxCharacters"/> characters (nothing that large is decoded).</summary>
    public static DecodedFeed? Decode(ReadOnlySpan<byte> body, string? contentType, int maxCharacters)
    {
        var (bomEncoding, bomLength) = DetectBom(body);
        if (bomEncoding is not null)
        {
            return Finish(body[bomLength..], bomEncoding, null, maxCharacters);
        }

        var httpLabel = CharsetOf(contentType);
        var prologLabel = PrologEncoding(body);
        var http = Resolve(httpLabel);
        var prolog = Resolve(prologLabel);

        // Two-byte encodings without a BOM: only a label can tell.
        foreach (var declared in new[] { http, prolog })
        {
            if (declared is { CodePage: 1200 or 1201 })
            {
                // "UTF-16" without a BOM: the order of the bytes of "<" tells the endianness.
                var bigEndian = body is [0x00, _, ..] || (body is not [_, 0x00, ..] && declared.CodePage == 1201);
                return Finish(body, new UnicodeEncoding(bigEndian, byteOrderMark: false), null, maxCharacters);
            }

            if (declared is { CodePage: 12000 or 12001 })
            {
                return Finish(body, declared, null, maxCharacters);
            }
        }

        if (Utf8.IsValid(body))
        {
            var ascii = IsAscii(body);
            var other = new[] { (http, httpLabel, "HTTP"), (prolog, prologLabel, "XML declaration") }
                .FirstOrDefault(d => d.Item1 is not null && d.Item1.CodePage != Encoding.UTF8.CodePage && !ascii);
            var note = other.Item1 is null
                ? null
                : $"Declared {other.Item2} ({other.Item3}), but the body is valid UTF-8: read as UTF-8.";
            return Finish(body, StrictUtf8, note, maxCharacters);
        }

        var singleByte = new[] { http, prolog }.FirstOrDefault(e => e is not null && e.CodePage != Encoding.UTF8.CodePage);
        if (singleByte is not null)
        {
            var note = http?.CodePage == Encoding.UTF8.CodePage
                ? $"Declared {httpLabel} (HTTP), but the body is not valid UTF-8: read as {singleByte.WebName} (XML declaration)."
                : null;
            return Finish(body, singleByte, note, maxCharacters);
        }

        var label = httpLabel ?? prologLabel;
        var why = label is null
            ? "No encoding declared and the body is not valid UTF-8: read as windows-1252."
            : $"Declared {label}, but the body is not valid UTF-8: read as windows-1252.";
        return Finish(body, Windows1252, why, maxCharacters);
    }

    /// <summary>The <c>charset</c> parameter of a Content-Type header, if any.</summary>
    public static string? CharsetOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return null;
        }

        var charset = parsed.CharSet?.Trim().Trim('"', '\'').Trim();
        return string.IsNullOrEmpty(charset) ? null : charset;
    }

    /// <summary>The media type of a Content-Type header (<c>text/html</c>), lowercased, if any.</summary>
    public static string? MediaTypeOf(string? contentType) =>
        !string.IsNullOrWhiteSpace(contentType) && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            ? parsed.MediaType?.ToLowerInvariant()
            : null;

    private static DecodedFeed? Finish(ReadOnlySpan<byte> body, Encoding encoding, string? note, int maxCharacters)
    {
        // A cheap bound first: no encoding Radar reads needs more than four bytes a character.
        if (body.Length / 4 > maxCharacters)
        {
            return null;
        }

        try
        {
            if (encoding.GetCharCount(body) > maxCharacters)
            {
                return null;
            }

            return new DecodedFeed(encoding.GetString(body), encoding.WebName, note);
        }
        catch (DecoderFallbackException)
        {
            // A UTF-8 byte order mark in front of Windows-1252 text: the BOM lied.
            return Finish(body, Windows1252, $"Marked {encoding.WebName} by its byte order mark, but not valid {encoding.WebName}: read as windows-1252.", maxCharacters);
        }
    }

    private static (Encoding? Encoding, int Length) DetectBom(ReadOnlySpan<byte> body) => body switch
    {
        [0xEF, 0xBB, 0xBF, ..] => (StrictUtf8, 3),
        [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: false), 4),
        [0xFF, 0xFE, 0x00, 0x00, ..] => (new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: false), 4),
        [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: false), 2),
        [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false), 2),
        _ => (null, 0),
    };

    private static Encoding? Resolve(string? label)
    {
        if (label is null)
        {
            return null;
        }

        Encoding encoding;
        try
        {
            encoding = Encoding.GetEncoding(label);
        }
        catch (ArgumentException)
        {
            return null;
        }

        return encoding.CodePage switch
        {
            28591 or 20127 => Windows1252, // ISO-8859-1, US-ASCII
            65001 => Encoding.UTF8,
            _ => encoding,
        };
    }

    /// <summary>The encoding named in an XML declaration, read from ASCII-compatible bytes or
    /// from UTF-16 without a BOM.</summary>
    private static string? PrologEncoding(ReadOnlySpan<byte> body)
    {
        string head;
        if (body is [0x3C, 0x00, 0x3F, 0x00, ..])
        {
            head = Encoding.Unicode.GetString(body[..Math.Min(body.Length & ~1, 400)]);
        }
        else if (body is [0x00, 0x3C, 0x00, 0x3F, ..])
        {
            head = Encoding.BigEndianUnicode.GetString(body[..Math.Min(body.Length & ~1, 400)]);
        }
        else
        {
            head = Encoding.Latin1.GetString(body[..Math.Min(body.Length, 200)]);
        }

        var match = PrologRegex().Match(head);
        return match.Success ? match.Groups["enc"].Value : null;
    }

    private static bool IsAscii(ReadOnlySpan<byte> body) => System.Text.Ascii.IsValid(body);

    [GeneratedRegex("""^\s*<\?xml\s[^>]*?encoding\s*=\s*["'](?<enc>[A-Za-z][A-Za-z0-9._:-]{0,39})["']""", RegexOptions.CultureInvariant)]
    private static partial Regex PrologRegex();
}
