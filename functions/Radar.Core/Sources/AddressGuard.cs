using System.Collections.Frozen;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Radar.Core.Sources;

/// <summary>
/// Decides which addresses a source added through the API may reach: none that the IANA
/// special-purpose registries mark not globally reachable (loopback, private, link-local,
/// documentation, benchmarking, reserved, …; the table is <see cref="SpecialPurposeAddresses"/>),
/// no multicast, not Azure's host endpoint, not this machine's own interface addresses, and no
/// IPv6 address that embeds a refused IPv4 address (NAT64, 6to4, Teredo, IPv4-compatible,
/// IPv4-mapped) — unless a setting allows them. Applied to the addresses a host name resolves to,
/// at connect time, so it holds for every redirect and cannot be bypassed by a DNS name that
/// points inwards.
/// </summary>
public sealed class AddressGuard
{
    private readonly bool _allowPrivate;
    private readonly IReadOnlyList<IPNetwork> _allowed;
    private readonly Func<IReadOnlySet<IPAddress>> _ownAddresses;

    /// <param name="ownAddresses">This machine's interface addresses (default: <see cref="MachineAddresses.Shared"/>).</param>
    public AddressGuard(bool allowPrivate, IReadOnlyList<IPNetwork> allowed, Func<IReadOnlySet<IPAddress>>? ownAddresses = null)
    {
        _allowPrivate = allowPrivate;
        _allowed = allowed;
        _ownAddresses = ownAddresses ?? MachineAddresses.Shared.Current;
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

    /// <summary>Why <paramref name="address"/> may not be reached, as a phrase for a message
    /// ("a loopback address (RFC 1122 §3.2.1.3)"), or null when it may.</summary>
    public string? RefusalFor(IPAddress address)
    {
        if (_allowPrivate)
        {
            return null;
        }

        // A dual-stack socket sends an IPv4-mapped address to the IPv4 address: it is that address.
        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : new IPAddress(address.GetAddressBytes());
        if (_allowed.Any(n => n.Contains(address)))
        {
            return null;
        }

        if (SpecialPurposeAddresses.Embedded(address) is var (ipv4, embedding) && RefusalFor(ipv4) is { } inner)
        {
            return $"{embedding.Description} ({embedding.Reference}) embedding {ipv4}, {inner}";
        }

        var registry = address.AddressFamily == AddressFamily.InterNetwork
            ? SpecialPurposeAddresses.IPv4NotGloballyReachable
            : SpecialPurposeAddresses.IPv6NotGloballyReachable;
        if (SpecialPurposeAddresses.Find(registry.Concat(SpecialPurposeAddresses.AlsoRefused), address) is { } block)
        {
            return $"{block.Description} ({block.Reference})";
        }

        return _ownAddresses().Contains(address) ? "an address of this machine's own network interfaces" : null;
    }
}

/// <summary>
/// The addresses of this machine's network interfaces: a service listening on one is reachable
/// from the machine itself, whatever range the address is in (a public address on the VM, or a
/// documentation address in a sandbox). Read again at most every <see cref="Refresh"/>, as
/// interfaces change seldom and reading them costs a system call per interface.
/// </summary>
public sealed class MachineAddresses
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    private Snapshot? _snapshot;

    public static MachineAddresses Shared { get; } = new();

    public IReadOnlySet<IPAddress> Current()
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var now = Environment.TickCount64;
        if (snapshot is null || now - snapshot.ReadAt > Refresh.TotalMilliseconds)
        {
            snapshot = new Snapshot(Read(), now);
            Volatile.Write(ref _snapshot, snapshot);
        }

        return snapshot.Addresses;
    }

    private static FrozenSet<IPAddress> Read()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                // Without the scope id (fe80::1%2), so it compares with an address from DNS.
                .Select(u => u.Address.IsIPv4MappedToIPv6 ? u.Address.MapToIPv4() : new IPAddress(u.Address.GetAddressBytes()))
                .ToFrozenSet();
        }
        catch (NetworkInformationException)
        {
            // Where interfaces cannot be listed, the registry rules still hold.
            return FrozenSet<IPAddress>.Empty;
        }
    }

    private sealed record Snapshot(FrozenSet<IPAddress> Addresses, long ReadAt);
}

/// <summary>Resolves a host name for the guard: DNS; tests register their own, so a name can
/// point anywhere without touching <c>/etc/hosts</c>.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>A source tried to reach an address it may not reach.</summary>
public sealed class AddressRefusedException(string message) : IOException(message);
