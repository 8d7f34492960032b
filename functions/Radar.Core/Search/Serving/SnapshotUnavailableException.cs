namespace Radar.Core.Search.Serving;

/// <summary>
/// What a public read throws when this instance has no published snapshot to answer from (none
/// loaded yet, or the one it needs is gone). The HTTP edge turns it into a 503 with
/// <c>Retry-After</c>: problem+json on <c>/api</c>, the German 503 page on page routes. Waiting
/// helps, so it is not an error of the request.
/// </summary>
public sealed class SnapshotUnavailableException(string message, TimeSpan retryAfter, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>When asking again makes sense.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
