using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Radar.Core.Sources;

/// <summary>
/// The one way Radar reads a source, for measures and news alike: HTTP(S) with conditional GET,
/// a deadline for the whole answer, a size cap on the decompressed body, a few redirects, retries
/// for transient failures (the resilience pipeline of the named clients, see
/// <see cref="SourcesServices"/>); and <c>file:</c> for sources from settings. It never throws
/// for a bad source: every problem is a <see cref="FetchStatus.Failed"/> result with a reason.
/// </summary>
public sealed class SourceFetcher(
    IHttpClientFactory httpClients,
    IOptions<FetchOptions> fetchOptions,
    IOptions<RadarOptions> radarOptions,
    ILogger<SourceFetcher> logger)
{
    /// <summary>Client for sources from settings: trusted, may reach any address.</summary>
    public const string TrustedClient = "Radar.Sources.Trusted";

    /// <summary>Client for sources added through the API: behind the <see cref="AddressGuard"/>.</summary>
    public const string GuardedClient = "Radar.Sources.Guarded";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hostGates = new(StringComparer.OrdinalIgnoreCase);

    private FetchOptions Options => fetchOptions.Value;

    /// <param name="conditional">Send the stored validators (false: fetch in full whatever they say).</param>
    public async Task<FetchResult> FetchAsync(Source source, bool conditional, CancellationToken cancellationToken)
    {
        return await FetchAsync(source.Url, source.Kind, source.Origin,
            conditional ? source.ETag : null, conditional ? source.LastModified : null, cancellationToken);
    }

    public async Task<FetchResult> FetchAsync(
        string url, string kind, string origin, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        if (url.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return origin == SourceOrigins.Settings
                ? await ReadFileAsync(url, etag, cancellationToken)
                : FetchResult.Failed("file: sources are only allowed in settings, never through the API.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return FetchResult.Failed($"'{url}' is not an http(s) or file: URL.");
        }

        var options = Options;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        var gate = _hostGates.GetOrAdd(uri.Host, _ => new SemaphoreSlim(Math.Max(1, options.MaxConcurrentPerHost)));
        var entered = false;
        try
        {
            await gate.WaitAsync(deadline.Token);
            entered = true;
            return await GetAsync(uri, kind, origin, etag, lastModified, options, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Failed($"No complete answer within {Describe(options.Timeout)}.");
        }
        catch (HttpRequestException ex) when (Find<AddressRefusedException>(ex) is { } refused)
        {
            return FetchResult.Failed($"Refused: {refused.Message}");
        }
        catch (HttpRequestException ex)
        {
            return FetchResult.Failed($"Request failed: {Messages(ex)}", ex.StatusCode is { } code ? (int)code : null);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException)
        {
            return FetchResult.Failed($"Reading the answer failed: {Messages(ex)}");
        }
        finally
        {
            if (entered)
            {
                gate.Release();
            }
        }
    }

    private async Task<FetchResult> GetAsync(
        Uri uri, string kind, string origin, string? etag, string? lastModified, FetchOptions options, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(origin == SourceOrigins.Settings ? TrustedClient : GuardedClient);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd(AcceptFor(kind));
        if (!string.IsNullOrEmpty(etag) && EntityTagHeaderValue.TryParse(etag, out var tag))
        {
            request.Headers.IfNoneMatch.Add(tag);
        }

        if (!string.IsNullOrEmpty(lastModified) && DateTimeOffset.TryParse(lastModified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
        {
            request.Headers.IfModifiedSince = since;
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var finalUrl = response.RequestMessage?.RequestUri ?? uri;
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new FetchResult { Status = FetchStatus.NotModified, HttpStatus = status, FinalUrl = finalUrl, ETag = etag, LastModified = lastModified };
        }

        if (status is >= 300 and < 400)
        {
            return FetchResult.Failed(response.Headers.Location is null
                ? $"HTTP {status} without a Location to follow."
                : $"Too many redirects (more than {options.MaxRedirects}), last to {response.Headers.Location}.", status);
        }

        if (!response.IsSuccessStatusCode)
        {
            var retryAfter = RetryAfter(response);
            return FetchResult.Failed(
                $"HTTP {status} {response.ReasonPhrase}".TrimEnd() + (retryAfter is { } wait ? $"; the server asks to retry after {Describe(wait)}." : "."),
                status, retryAfter);
        }

        if (response.Content.Headers.ContentLength is { } declared && declared > options.MaxBytes)
        {
            return FetchResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Too large: {declared:N0} bytes announced, at most {options.MaxBytes:N0} accepted."), status);
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var content = await ReadCappedAsync(body, options.MaxBytes, cancellationToken);
        if (content is null)
        {
            return FetchResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Too large: more than {options.MaxBytes:N0} bytes (after decompression)."), status);
        }

        logger.LogDebug("Fetched {Url}: {Bytes} bytes", finalUrl, content.Length);
        return new FetchResult
        {
            Status = FetchStatus.Fetched,
            Content = content,
            MediaType = response.Content.Headers.ContentType?.MediaType,
            Charset = response.Content.Headers.ContentType?.CharSet?.Trim('"'),
            FinalUrl = finalUrl,
            HttpStatus = status,
            ETag = response.Headers.ETag?.ToString(),
            LastModified = response.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture),
        };
    }

    private async Task<FetchResult> ReadFileAsync(string url, string? etag, CancellationToken cancellationToken)
    {
        var path = ResolveFilePath(url);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return FetchResult.Failed($"File not found: {path}");
        }

        // A file has no server to ask; its length and write time stand in for an ETag.
        var fileTag = string.Create(CultureInfo.InvariantCulture, $"W/\"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}\"");
        if (etag == fileTag)
        {
            return new FetchResult { Status = FetchStatus.NotModified, ETag = fileTag, FinalUrl = new Uri(path) };
        }

        if (file.Length > Options.MaxBytes)
        {
            return FetchResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Too large: {file.Length:N0} bytes, at most {Options.MaxBytes:N0} accepted."));
        }

        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 16384, useAsync: true);
            var content = await ReadCappedAsync(stream, Options.MaxBytes, cancellationToken);
            return content is null
                ? FetchResult.Failed(string.Create(CultureInfo.InvariantCulture, $"Too large: more than {Options.MaxBytes:N0} bytes."))
                : new FetchResult
                {
                    Status = FetchStatus.Fetched,
                    Content = content,
                    ETag = fileTag,
                    FinalUrl = new Uri(path),
                    MediaType = Path.GetExtension(path).ToLowerInvariant() switch
                    {
                        ".json" => "application/json",
                        ".csv" => "text/csv",
                        ".xml" or ".rss" or ".atom" => "application/xml",
                        _ => null,
                    },
                };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return FetchResult.Failed($"Reading {path} failed: {ex.Message}");
        }
    }

    /// <summary>The local path a <c>file:</c> URL names: absolute as it is, relative against
    /// <see cref="RadarOptions.ContentRoot"/> (else the app's folder).</summary>
    public string ResolveFilePath(string url)
    {
        var rest = url["file:".Length..];
        if (rest.StartsWith("//", StringComparison.Ordinal) && Uri.TryCreate(url, UriKind.Absolute, out var fileUri))
        {
            return fileUri.LocalPath;
        }

        rest = Uri.UnescapeDataString(rest);
        if (Path.IsPathRooted(rest))
        {
            return Path.GetFullPath(rest);
        }

        var root = radarOptions.Value.ContentRoot;
        return Path.GetFullPath(rest, string.IsNullOrWhiteSpace(root) ? AppContext.BaseDirectory : root);
    }

    /// <summary>Reads at most <paramref name="max"/> bytes; null as soon as the stream has more,
    /// whatever its headers said.</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream stream, long max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset? now = null)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) ||
            response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        var wait = header.Delta ?? (header.Date is { } date ? date - (now ?? DateTimeOffset.UtcNow) : null);
        return wait is { } w && w > TimeSpan.Zero ? w : null;
    }

    private static string AcceptFor(string kind) => kind switch
    {
        SourceKinds.MeasuresJson => "application/json, */*;q=0.5",
        SourceKinds.MeasuresCsv => "text/csv, text/plain;q=0.9, */*;q=0.5",
        SourceKinds.News => "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5",
        _ => "*/*",
    };

    internal static string Describe(TimeSpan span) =>
        span.TotalSeconds < 120 ? span.TotalSeconds.ToString("0.# s", CultureInfo.InvariantCulture)
        : span.TotalMinutes < 120 ? span.TotalMinutes.ToString("0.# min", CultureInfo.InvariantCulture)
        : span.TotalHours.ToString("0.# h", CultureInfo.InvariantCulture);

    private static T? Find<T>(Exception ex)
        where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Messages(Exception ex)
    {
        var parts = new List<string>();
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (!parts.Contains(e.Message))
            {
                parts.Add(e.Message);
            }
        }

        return string.Join(" ", parts);
    }
}
