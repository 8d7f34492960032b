using System.Net;
using System.Net.Sockets;

namespace Radar.Core.Sources;

/// <summary>A block of addresses a source added through the API may not reach.</summary>
/// <param name="Description">How a refusal names an address in it ("a loopback address").</param>
/// <param name="Reference">The RFC that reserves it.</param>
public sealed record ReservedBlock(IPNetwork Network, string Description, string Reference);

/// <summary>Where an IPv6 address carries an IPv4 address.</summary>
public enum EmbeddedIPv4
{
    /// <summary>The last 32 bits (IPv4-mapped, IPv4-compatible, NAT64 with a /96 prefix).</summary>
    Last32Bits,

    /// <summary>Bits 16–47 (6to4).</summary>
    SixToFour,

    /// <summary>The client address of Teredo: the last 32 bits, every bit inverted.</summary>
    TeredoClient,
}

/// <summary>An IPv6 block whose addresses carry an IPv4 address, and where.</summary>
public sealed record EmbeddingBlock(IPNetwork Network, string Description, string Reference, EmbeddedIPv4 Where);

/// <summary>
/// The address blocks the <see cref="AddressGuard"/> judges, as data: the rows of the IANA IPv4 and
/// IPv6 Special-Purpose Address Registries (RFC 6890 and the RFCs that added rows since) marked
/// "Globally Reachable: False", the few further blocks where no feed can live, and the IPv6 blocks
/// that embed an IPv4 address. A refusal names the most specific block, so 192.0.0.8 is "the IPv4
/// dummy address", not "an IETF protocol assignment".
/// </summary>
/// <remarks>
/// Stricter than the registries in two places, on purpose: inside 192.0.0.0/24 and 2001::/23 the
/// registries mark a few rows globally reachable (PCP and TURN anycast, AMT, AS112, ORCHIDv2,
/// drone DETs); they are refused with their block, as no feed is served there and an anycast
/// service answers from a nearby, often local, server. Teredo (2001::/32) lies inside 2001::/23
/// and so is always refused; its embedded client address only names the reason.
/// </remarks>
public static class SpecialPurposeAddresses
{
    /// <summary>IANA IPv4 Special-Purpose Address Registry, rows with Globally Reachable False.</summary>
    public static IReadOnlyList<ReservedBlock> IPv4NotGloballyReachable { get; } =
    [
        Block("0.0.0.0/8", "a \"this network\" address", "RFC 791 §3.2"),
        Block("0.0.0.0/32", "the \"this host on this network\" address", "RFC 1122 §3.2.1.3"),
        Block("10.0.0.0/8", "a private-use address", "RFC 1918"),
        Block("100.64.0.0/10", "a shared (carrier-grade NAT) address", "RFC 6598"),
        Block("127.0.0.0/8", "a loopback address", "RFC 1122 §3.2.1.3"),
        Block("169.254.0.0/16", "a link-local address", "RFC 3927"),
        Block("172.16.0.0/12", "a private-use address", "RFC 1918"),
        Block("192.0.0.0/24", "an IETF protocol assignment address", "RFC 6890 §2.1"),
        Block("192.0.0.0/29", "an IPv4 service continuity (DS-Lite) address", "RFC 7335"),
        Block("192.0.0.8/32", "the IPv4 dummy address", "RFC 7600"),
        Block("192.0.0.170/32", "a NAT64/DNS64 discovery address", "RFC 8880, RFC 7050 §2.2"),
        Block("192.0.0.171/32", "a NAT64/DNS64 discovery address", "RFC 8880, RFC 7050 §2.2"),
        Block("192.0.2.0/24", "a documentation address (TEST-NET-1)", "RFC 5737"),
        Block("192.168.0.0/16", "a private-use address", "RFC 1918"),
        Block("198.18.0.0/15", "a benchmarking address", "RFC 2544"),
        Block("198.51.100.0/24", "a documentation address (TEST-NET-2)", "RFC 5737"),
        Block("203.0.113.0/24", "a documentation address (TEST-NET-3)", "RFC 5737"),
        Block("240.0.0.0/4", "a reserved address", "RFC 1112 §4"),
        Block("255.255.255.255/32", "the limited broadcast address", "RFC 8190, RFC 919 §7"),
    ];

    /// <summary>IANA IPv6 Special-Purpose Address Registry, rows with Globally Reachable False
    /// (the IPv4-mapped row ::ffff:0:0/96 is in <see cref="Embeddings"/>: a dual-stack socket
    /// sends to its IPv4 address, so that is what is judged).</summary>
    public static IReadOnlyList<ReservedBlock> IPv6NotGloballyReachable { get; } =
    [
        Block("::/128", "the unspecified address", "RFC 4291"),
        Block("::1/128", "the loopback address", "RFC 4291"),
        Block("64:ff9b:1::/48", "a local-use IPv4/IPv6 translation (NAT64) address", "RFC 8215"),
        Block("100::/64", "a discard-only address", "RFC 6666"),
        Block("100:0:0:1::/64", "a dummy IPv6 prefix address", "RFC 9780"),
        Block("2001::/23", "an IETF protocol assignment address", "RFC 2928"),
        Block("2001:2::/48", "a benchmarking address", "RFC 5180"),
        Block("2001:db8::/32", "a documentation address", "RFC 3849"),
        Block("3fff::/20", "a documentation address", "RFC 9637"),
        Block("5f00::/16", "a segment routing (SRv6) SID", "RFC 9602"),
        Block("fc00::/7", "a unique-local address", "RFC 4193"),
        Block("fe80::/10", "a link-local address", "RFC 4291"),
    ];

    /// <summary>Not in the special-purpose registries, and still no place for a feed.</summary>
    public static IReadOnlyList<ReservedBlock> AlsoRefused { get; } =
    [
        Block("224.0.0.0/4", "a multicast address", "RFC 5771"),
        Block("ff00::/8", "a multicast address", "RFC 4291 §2.7"),
        Block("fec0::/10", "a site-local address", "RFC 3879"),
        // The virtual host's endpoint in every Azure VNet (DHCP, DNS, health, the VM agent's
        // WireServer): a public-looking address that only the platform answers.
        Block("168.63.129.16/32", "Azure's host endpoint (WireServer)", "Azure documentation"),
    ];

    /// <summary>IPv6 blocks that carry an IPv4 address: the embedded address is judged too.</summary>
    public static IReadOnlyList<EmbeddingBlock> Embeddings { get; } =
    [
        Embedding("::ffff:0:0/96", "an IPv4-mapped address", "RFC 4291 §2.5.5.2", EmbeddedIPv4.Last32Bits),
        Embedding("::/96", "an IPv4-compatible address", "RFC 4291 §2.5.5.1", EmbeddedIPv4.Last32Bits),
        Embedding("64:ff9b::/96", "a NAT64 address", "RFC 6052", EmbeddedIPv4.Last32Bits),
        // A local-use prefix may be split into /56, /64 or /96 translators; the /96 form is the
        // one decoded (the block is refused whole anyway, the decoding only names the reason).
        Embedding("64:ff9b:1::/48", "a local-use NAT64 address", "RFC 8215", EmbeddedIPv4.Last32Bits),
        Embedding("2002::/16", "a 6to4 address", "RFC 3056", EmbeddedIPv4.SixToFour),
        Embedding("2001::/32", "a Teredo address", "RFC 4380", EmbeddedIPv4.TeredoClient),
    ];

    /// <summary>The most specific block among <paramref name="blocks"/> holding <paramref name="address"/>.</summary>
    public static ReservedBlock? Find(IEnumerable<ReservedBlock> blocks, IPAddress address) =>
        blocks
            .Where(b => b.Network.BaseAddress.AddressFamily == address.AddressFamily && b.Network.Contains(address))
            .MaxBy(b => b.Network.PrefixLength);

    /// <summary>The IPv4 address <paramref name="address"/> carries, with the block that says so,
    /// or null. <c>::</c> and <c>::1</c> carry none: they are not IPv4-compatible addresses.</summary>
    public static (IPAddress IPv4, EmbeddingBlock Block)? Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        var block = Embeddings
            .Where(b => b.Network.Contains(address))
            .MaxBy(b => b.Network.PrefixLength);
        if (block is null)
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        var ipv4 = block.Where switch
        {
            EmbeddedIPv4.SixToFour => bytes[2..6],
            EmbeddedIPv4.TeredoClient => bytes[12..16].Select(b => (byte)~b).ToArray(),
            _ => bytes[12..16],
        };
        if (block.Network.PrefixLength == 96 && block.Network.BaseAddress.Equals(IPAddress.IPv6Any) && ipv4[0] == 0 && ipv4[1] == 0 && ipv4[2] == 0 && ipv4[3] <= 1)
        {
            return null;
        }

        return (new IPAddress(ipv4), block);
    }

    private static ReservedBlock Block(string network, string description, string reference) =>
        new(IPNetwork.Parse(network), description, reference);

    private static EmbeddingBlock Embedding(string network, string description, string reference, EmbeddedIPv4 where) =>
        new(IPNetwork.Parse(network), description, reference, where);
}
