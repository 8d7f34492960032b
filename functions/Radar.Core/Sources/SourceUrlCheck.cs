using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Radar.Core.Sources;

/// <summary>Why a URL given through the API was refused: <see cref="Code"/> for programs
/// (<c>bad-url</c>, <c>unresolvable</c>, <c>ssrf</c>, <c>duplicate</c>, <c>id-taken</c>), <see cref="Reason"/> for people.</summary>
public sealed record SourceRefusal(string Code, string Reason)
{
    public const string BadUrl = "bad-url";
    public const string Unresolvable = "unresolvable";
    public const string Ssrf = "ssrf";
    public const string Duplicate = "duplicate";
    public const string IdTaken = "id-taken";
}

/// <summary>
/// Checks a URL before it becomes an API source: absolute http(s), no credentials, bounded length,
/// and a host that resolves only to addresses the <see cref="AddressGuard"/> lets API sources
/// reach. The guard still runs on every connect and redirect when the source is fetched; this
/// check only refuses early, so a person adding a source is told at once instead of at the
/// first failed fetch (and a later DNS change cannot slip past the connect-time guard).
/// </summary>
public sealed class SourceUrlCheck(IOptions<FetchOptions> fetchOptions, IHostResolver resolver)
{
    public const int MaxUrlLength = 2048;
    private static readonly TimeSpan ResolveBudget = TimeSpan.FromSeconds(5);

    /// <summary>The URL in its canonical form (<see cref="Uri.AbsoluteUri"/>), or why it is refused.</summary>
    public static (Uri? Uri, SourceRefusal? Refusal) Parse(string? url)
    {
        var trimmed = url?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return (null, new(SourceRefusal.BadUrl, "'url' is required: the absolute http(s) URL of the feed."));
        }

        if (trimmed.Length > MaxUrlLength)
        {
            return (null, new(SourceRefusal.BadUrl, $"The URL is longer than {MaxUrlLength} characters."));
        }

        if (trimmed.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new(SourceRefusal.BadUrl, "file: URLs are only allowed for sources in settings, never through the API."));
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return (null, new(SourceRefusal.BadUrl, $"'{Shorten(trimmed)}' is not an absolute http or https URL."));
        }

        if (uri.UserInfo.Length > 0)
        {
            return (null, new(SourceRefusal.BadUrl, "The URL carries credentials (user:password@); Radar stores URLs in the clear and does not send credentials."));
        }

        if (uri.Host.Length == 0)
        {
            return (null, new(SourceRefusal.BadUrl, "The URL has no host."));
        }

        return uri.AbsoluteUri.Length > MaxUrlLength
            ? (null, new(SourceRefusal.BadUrl, $"The URL is longer than {MaxUrlLength} characters."))
            : (uri, null);
    }

    /// <summary>Why API sources may not reach <paramref name="uri"/>'s host, or null when they may.</summary>
    public async Task<SourceRefusal?> AddressRefusalAsync(Uri uri, CancellationToken cancellationToken)
    {
        var guard = AddressGuard.FromOptions(fetchOptions.Value);
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.IdnHost;
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(ResolveBudget);
            try
            {
                addresses = await resolver.ResolveAsync(host, budget.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new(SourceRefusal.Unresolvable, $"The host {host} does not resolve (no answer within {ResolveBudget.TotalSeconds:0} s).");
            }
            catch (Exception ex) when (ex is SocketException or ArgumentException)
            {
                return new(SourceRefusal.Unresolvable, $"The host {host} does not resolve ({ex.Message}).");
            }
        }

        if (addresses.Length == 0)
        {
            return new(SourceRefusal.Unresolvable, $"The host {host} does not resolve to any address.");
        }

        // Any inward address refuses the source: a name that resolves both ways is one DNS answer
        // away from reaching the inside.
        foreach (var address in addresses)
        {
            if (guard.RefusalFor(address) is { } kind)
            {
                return new(SourceRefusal.Ssrf,
                    (host == address.ToString() ? $"{host} is" : $"{host} resolves to {address},") +
                    $" {kind}, which sources added through the API may not reach " +
                    "(an operator can allow it with the settings Radar__Fetch__AllowPrivateNetworks or Radar__Fetch__AllowedNetworks).");
            }
        }

        return null;
    }

    /// <summary>The form URLs are compared in (settings URLs are stored as written).</summary>
    public static string Canonical(string url) => Parse(url).Uri?.AbsoluteUri ?? url;

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
