namespace Radar.Core.Sources;

public enum FetchStatus
{
    /// <summary>The content arrived in full.</summary>
    Fetched,

    /// <summary>The server (or the file) says it has not changed since the validators we sent.</summary>
    NotModified,

    /// <summary>Nothing usable arrived; <see cref="FetchResult.Error"/> says why.</summary>
    Failed,
}

/// <summary>What one fetch of a source gave.</summary>
public sealed record FetchResult
{
    public required FetchStatus Status { get; init; }

    /// <summary>The body, decompressed, at most <see cref="FetchOptions.MaxBytes"/> long.</summary>
    public byte[] Content { get; init; } = [];

    /// <summary>Media type without parameters, e.g. <c>application/json</c>.</summary>
    public string? MediaType { get; init; }

    /// <summary>The <c>charset</c> parameter of Content-Type, if any (a hint; content may disagree).</summary>
    public string? Charset { get; init; }

    /// <summary>Where the content finally came from, after redirects: base for relative links.</summary>
    public Uri? FinalUrl { get; init; }

    public string? ETag { get; init; }

    public string? LastModified { get; init; }

    public int? HttpStatus { get; init; }

    public string? Error { get; init; }

    /// <summary>How long the server asked us to wait (<c>Retry-After</c> on 429/503).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static FetchResult Failed(string error, int? httpStatus = null, TimeSpan? retryAfter = null) =>
        new() { Status = FetchStatus.Failed, Error = error, HttpStatus = httpStatus, RetryAfter = retryAfter };
}
