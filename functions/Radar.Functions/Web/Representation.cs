using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Radar.Functions.Web;

/// <summary>An answer's bytes as sent: what is cached, hashed for the ETag and written. Every
/// body Radar sends over HTTP is one (JSON, feeds, HTML, SVG, assets, problems).</summary>
public sealed class Representation(byte[] body, string contentType, DateTimeOffset? lastModified = null)
{
    private string? _etag;

    public byte[] Body { get; } = body;

    public string ContentType { get; } = contentType;

    /// <summary>The newest data behind the answer, where the route knows it.</summary>
    public DateTimeOffset? LastModified { get; } = lastModified;

    /// <summary><c>Content-Disposition</c>, for answers meant to be saved as a file (the open-data downloads).</summary>
    public string? ContentDisposition { get; init; }

    /// <summary><c>Link</c> header values (a feed's WebSub hub and self).</summary>
    public IReadOnlyList<string> Links { get; init; } = [];

    /// <summary>A strong validator: a hash of the bytes, so it changes exactly when the answer
    /// does and is the same on every instance.</summary>
    public string ETag
    {
        get => _etag ??= Validators.StrongETag(Body);
        init => _etag = value;
    }

    /// <summary>JSON as the API writes it (<see cref="ApiJson"/>).</summary>
    public static Representation Json<T>(T value, DateTimeOffset? lastModified = null) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, ApiJson.Options), "application/json; charset=utf-8", lastModified);
}

/// <summary>
/// Where a 304 is decided, for every answer that carries validators (API answers, pages, assets,
/// the SVG picture, <c>widget.js</c>): <see cref="WebAnswer"/> asks <see cref="IsNotModified"/>
/// and nothing else does.
/// </summary>
public static class Validators
{
    public static string StrongETag(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return "\"" + Convert.ToBase64String(hash[..18]).Replace('+', '-').Replace('/', '_') + "\"";
    }

    /// <summary><c>If-None-Match</c> (weak comparison, RFC 9110: <c>W/"x"</c> matches <c>"x"</c>;
    /// <c>*</c> matches anything) and, only without it, <c>If-Modified-Since</c> against the
    /// answer's <c>Last-Modified</c> (to the second, as HTTP dates are).</summary>
    public static bool IsNotModified(HttpRequest request, string etag, DateTimeOffset? lastModified)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            var current = new EntityTagHeaderValue(etag);
            return EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags) &&
                   tags.Any(tag => tag.Tag == "*" || tag.Compare(current, useStrongComparison: false));
        }

        return lastModified is { } modified &&
               HeaderUtilities.TryParseDate(request.Headers.IfModifiedSince.ToString(), out var since) &&
               ToSeconds(modified) <= since;
    }

    /// <summary>An instant as an HTTP date can say it.</summary>
    public static DateTimeOffset ToSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}

/// <summary>JSON as the API documents it: camelCase, nulls left out, umlauts as they are. The
/// worker's and the runner's own JSON (<c>ConfigureHttpJsonOptions</c>) is set the same way.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // Answers are application/json, never inlined into HTML, so non-ASCII text can stay readable.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }
}
