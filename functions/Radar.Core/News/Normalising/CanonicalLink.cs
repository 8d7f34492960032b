using System.Text;

namespace Radar.Core.News.Normalising;

/// <summary>
/// The one spelling of an item's link that dedupe compares: resolved against its base, http or
/// https only, without user info, fragment, default port, <c>utm_*</c> and the click ids of the big
/// ad networks (<c>fbclid</c>, <c>gclid</c>, <c>mc_cid</c>, <c>mc_eid</c>); other query parameters
/// keep their order.
/// </summary>
public static class CanonicalLink
{
    private static readonly HashSet<string> TrackingParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "mc_cid", "mc_eid",
    };

    /// <summary>The canonical absolute link, or null when <paramref name="raw"/> is empty, not a
    /// URL, or not http(s) (<c>javascript:</c>, <c>data:</c>, <c>file:</c>, …).</summary>
    public static string? From(string? raw, Uri? baseUri)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 4000)
        {
            return null;
        }

        // As browsers do: tabs and line breaks inside a URL are dropped, spaces around it too.
        var cleaned = raw.Trim().Replace("\t", "", StringComparison.Ordinal)
            .Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        Uri? uri;
        if (Uri.TryCreate(cleaned, UriKind.Absolute, out var absolute) && !IsUnixPathMistakenForFile(cleaned, absolute))
        {
            uri = absolute;
        }
        else if (baseUri is null || !Uri.TryCreate(baseUri, cleaned, out uri))
        {
            return null;
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }

        var builder = new UriBuilder(uri)
        {
            Fragment = "",
            UserName = "",
            Password = "",
            Query = CleanQuery(uri.Query),
        };
        if (uri.IsDefaultPort)
        {
            builder.Port = -1;
        }

        return builder.Uri.AbsoluteUri;
    }

    /// <summary>The base for relative links: the first of the candidates that is absolute http(s).</summary>
    public static Uri? HttpBase(params Uri?[] candidates) =>
        candidates.FirstOrDefault(u => u is { IsAbsoluteUri: true } && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps));

    // On Unix, "/news/1" parses as an absolute file: URI; in a feed it is a path relative to the site.
    private static bool IsUnixPathMistakenForFile(string raw, Uri uri) => uri.IsFile && raw.StartsWith('/');

    private static string CleanQuery(string query)
    {
        if (query.Length <= 1)
        {
            return "";
        }

        var kept = new StringBuilder();
        foreach (var part in query[1..].Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var name = Uri.UnescapeDataString(part.Split('=', 2)[0]);
            if (name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) || TrackingParameters.Contains(name))
            {
                continue;
            }

            kept.Append(kept.Length == 0 ? "" : "&").Append(part);
        }

        return kept.ToString();
    }
}
