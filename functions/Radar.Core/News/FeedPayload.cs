namespace Radar.Core.News;

/// <summary>A feed as it came over the wire: the body, the HTTP <c>Content-Type</c> (with its
/// charset, if any) and the URL it was fetched from (relative links are resolved against it).</summary>
public sealed record FeedPayload(ReadOnlyMemory<byte> Body, string? ContentType, Uri FeedUrl);
