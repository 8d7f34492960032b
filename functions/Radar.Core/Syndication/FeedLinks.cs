namespace Radar.Core.Syndication;

/// <summary>
/// Absolute addresses of one feed answer: the site's base (<c>Radar__PublicUrl</c>, else the
/// request's scheme and host), the feed's own URL (self) with the query in canonical form, and
/// the page a reader opens for it (alternate).
/// </summary>
public sealed record FeedLinks
{
    /// <summary>Tag URIs (RFC 4151) need a date at which the authority owned its name.</summary>
    private const string TagDate = "2026";

    public FeedLinks(Uri baseUrl, string path, FeedRequest request)
    {
        Base = new Uri(baseUrl.GetLeftPart(UriPartial.Authority) + baseUrl.AbsolutePath.TrimEnd('/') + "/");
        var query = request.Canonical();
        Self = Absolute(path + (query.Length == 0 ? "" : "?" + query));
        Alternate = request.MeasureId is { } measureId && request.Radar is null
            ? Absolute("/massnahmen/" + Uri.EscapeDataString(measureId))
            : request.MeasureId is { } id
                ? Absolute($"/massnahmen/{Uri.EscapeDataString(id)}?radar={Uri.EscapeDataString(request.Radar!)}")
                : (request with { Limit = FeedRequest.DefaultLimit }).Canonical() is { Length: > 0 } filters
                    ? Absolute("/suche?" + filters)
                    : Absolute("/");
    }

    public Uri Base { get; }

    /// <summary>This feed, as a reader subscribes to it.</summary>
    public string Self { get; }

    /// <summary>The page that shows the same selection.</summary>
    public string Alternate { get; }

    /// <summary>The WebSub hub of this feed (<c>rel="hub"</c>); null when the hub is off.</summary>
    public string? Hub { get; init; }

    /// <summary>The <c>Link</c> header values of a feed answer: hub and self, or none without a hub.</summary>
    public IReadOnlyList<string> Headers => Hub is null ? [] : [$"<{Hub}>; rel=\"hub\"", $"<{Self}>; rel=\"self\""];

    public string Absolute(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? absolute.AbsoluteUri
            : new Uri(Base, url.TrimStart('/')).AbsoluteUri;

    /// <summary>An entry's Atom id: a tag URI that stays the same wherever the feed is read from
    /// (<c>tag:radar.example,2026:change/muenchen:oeffentliches-wlan:3</c>).</summary>
    public string TagId(string type, string id) => $"tag:{Base.Host},{TagDate}:{type}/{Uri.EscapeDataString(id).Replace("%3A", ":", StringComparison.Ordinal)}";
}
