using System.Net;
using System.Net.Sockets;

namespace Radar.Core.Sources;

/// <summary>
/// Decides which addresses a source added through the API may reach: no loopback, private,
/// link-local, multicast or otherwise special addresses, unless a setting allows them. Applied to
/// the addresses a host name resolves to, at connect time, so it holds for every redirect and
/// cannot be bypassed by a DNS name that points inwards.
/// </summary>
public sealed class AddressGuard
{
    private static readonly (IPNetwork Network, string Kind)[] Special =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (carrier-grade NAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "special-purpose"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("fc00::/7"), "private (unique local)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private readonly bool _allowPrivate;
    private readonly IReadOnlyList<IPNetwork> _allowed;

    public AddressGuard(bool allowPrivate, IReadOnlyList<IPNetwork> allowed)
    {
        _allowPrivate = allowPrivate;
        _allowed = allowed;
    }

    public static AddressGuard FromOptions(FetchOptions options) =>
        new(options.AllowPrivateNetworks, ParseNetworks(options.AllowedNetworks));

    public static IReadOnlyList<IPNetwork> ParseNetworks(string? list)
    {
        var networks = new List<IPNetwork>();
        foreach (var item in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(item, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(item, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new FormatException(
                    $"Setting 'Radar__Fetch__AllowedNetworks': '{item}' is not a network in CIDR notation (e.g. 10.1.0.0/16) or an address.");
            }
        }

        return networks;
    }

    /// <summary>Why <paramref name="address"/> may not be reached, or null when it may.</summary>
    public string? RefusalFor(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (_allowPrivate || _allowed.Any(n => n.Contains(address)))
        {
            return null;
        }

        foreach (var (network, kind) in Special)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return kind;
            }
        }

        return null;
    }
}

/// <summary>A source tried to reach an address it may not reach.</summary>
public sealed class AddressRefusedException(string message) : IOException(message);
