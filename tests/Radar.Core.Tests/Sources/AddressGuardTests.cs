using System.Net;
using System.Net.Sockets;
using Radar.Core.Sources;

namespace Radar.Core.Tests.Sources;

/// <summary>
/// The address guard over every range of the IANA special-purpose registries that is not
/// globally reachable, plus multicast, site-local, Azure's host endpoint and the machine's own
/// addresses, and over IPv6 addresses that embed an IPv4 address: for each range an address in
/// it, its first and last address, and its neighbours outside where those are ordinary addresses.
/// Written from the registries, not from the guard's table, so a wrong row shows here.
/// </summary>
public class AddressGuardTests
{
    /// <summary>Address → a phrase the refusal must contain, or null where the guard lets it through.</summary>
    public static TheoryData<string, string?> Addresses => new()
    {
        // 0.0.0.0/8 "this network"; 0.0.0.0/32 "this host on this network" (RFC 791, RFC 1122)
        { "0.0.0.0", "\"this host on this network\" address" },
        { "0.0.0.1", "\"this network\" address (RFC 791" },
        { "0.255.255.255", "\"this network\" address" },
        { "1.0.0.0", null },
        // 10.0.0.0/8 private-use (RFC 1918)
        { "10.0.0.0", "a private-use address (RFC 1918)" },
        { "10.1.2.3", "private-use" },
        { "10.255.255.255", "private-use" },
        { "9.255.255.255", null },
        { "11.0.0.0", null },
        // 100.64.0.0/10 shared address space (RFC 6598)
        { "100.64.0.0", "shared (carrier-grade NAT) address (RFC 6598)" },
        { "100.127.255.255", "shared" },
        { "100.63.255.255", null },
        { "100.128.0.0", null },
        // 127.0.0.0/8 loopback (RFC 1122)
        { "127.0.0.0", "a loopback address (RFC 1122" },
        { "127.0.0.1", "loopback" },
        { "127.255.255.255", "loopback" },
        { "126.255.255.255", null },
        { "128.0.0.0", null },
        // 169.254.0.0/16 link-local (RFC 3927), cloud metadata services among them
        { "169.254.0.0", "a link-local address (RFC 3927)" },
        { "169.254.169.254", "link-local" },
        { "169.254.255.255", "link-local" },
        { "169.253.255.255", null },
        { "169.255.0.0", null },
        // 172.16.0.0/12 private-use (RFC 1918)
        { "172.16.0.0", "private-use" },
        { "172.31.255.255", "private-use" },
        { "172.15.255.255", null },
        { "172.32.0.0", null },
        // 192.0.0.0/24 IETF protocol assignments (RFC 6890) and the rows inside it
        { "192.0.0.0", "IPv4 service continuity (DS-Lite) address (RFC 7335)" },
        { "192.0.0.7", "IPv4 service continuity" },
        { "192.0.0.8", "the IPv4 dummy address (RFC 7600)" },
        { "192.0.0.9", "an IETF protocol assignment address (RFC 6890" },
        { "192.0.0.10", "IETF protocol assignment" },
        { "192.0.0.170", "NAT64/DNS64 discovery address (RFC 8880" },
        { "192.0.0.171", "NAT64/DNS64 discovery" },
        { "192.0.0.255", "IETF protocol assignment" },
        { "191.255.255.255", null },
        { "192.0.1.0", null },
        // 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 documentation (RFC 5737)
        { "192.0.2.0", "a documentation address (TEST-NET-1) (RFC 5737)" },
        { "192.0.2.2", "TEST-NET-1" },
        { "192.0.2.255", "TEST-NET-1" },
        { "192.0.3.0", null },
        { "198.51.100.0", "TEST-NET-2" },
        { "198.51.100.255", "TEST-NET-2" },
        { "198.51.99.255", null },
        { "198.51.101.0", null },
        { "203.0.113.0", "TEST-NET-3" },
        { "203.0.113.255", "TEST-NET-3" },
        { "203.0.112.255", null },
        { "203.0.114.0", null },
        // 192.168.0.0/16 private-use (RFC 1918)
        { "192.168.0.0", "private-use" },
        { "192.168.255.255", "private-use" },
        { "192.167.255.255", null },
        { "192.169.0.0", null },
        // 198.18.0.0/15 benchmarking (RFC 2544)
        { "198.18.0.0", "a benchmarking address (RFC 2544)" },
        { "198.19.255.255", "benchmarking" },
        { "198.17.255.255", null },
        { "198.20.0.0", null },
        // 224.0.0.0/4 multicast (RFC 5771), 240.0.0.0/4 reserved (RFC 1112), limited broadcast (RFC 919)
        { "224.0.0.0", "a multicast address (RFC 5771)" },
        { "239.255.255.255", "multicast" },
        { "223.255.255.255", null },
        { "240.0.0.0", "a reserved address (RFC 1112" },
        { "255.255.255.254", "reserved" },
        { "255.255.255.255", "the limited broadcast address" },
        // Azure's host endpoint: public-looking, answered only by the platform
        { "168.63.129.16", "Azure's host endpoint" },
        { "168.63.129.15", null },
        { "168.63.129.17", null },

        // IPv6: ::/128, ::1/128 (RFC 4291)
        { "::", "the unspecified address (RFC 4291)" },
        { "::1", "the loopback address (RFC 4291)" },
        // IPv4-mapped (RFC 4291 §2.5.5.2): the socket sends to the IPv4 address, so that is judged
        { "::ffff:0.0.0.0", "\"this host on this network\"" },
        { "::ffff:127.0.0.1", "a loopback address" },
        { "::ffff:10.1.2.3", "private-use" },
        { "::ffff:93.184.216.34", null },
        // IPv4-compatible ::/96 (RFC 4291 §2.5.5.1, deprecated)
        { "::127.0.0.1", "an IPv4-compatible address (RFC 4291 §2.5.5.1) embedding 127.0.0.1, a loopback address" },
        { "::198.51.100.1", "embedding 198.51.100.1, a documentation address (TEST-NET-2)" },
        { "::2", "embedding 0.0.0.2, a \"this network\" address" },
        { "::255.255.255.255", "embedding 255.255.255.255, the limited broadcast address" },
        { "::93.184.216.34", null },
        // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052): the IPv4 address behind it is judged
        { "64:ff9b::127.0.0.1", "a NAT64 address (RFC 6052) embedding 127.0.0.1, a loopback address" },
        { "64:ff9b::10.0.0.1", "embedding 10.0.0.1, a private-use address" },
        { "64:ff9b::192.0.2.2", "embedding 192.0.2.2, a documentation address" },
        { "64:ff9b::169.254.169.254", "embedding 169.254.169.254, a link-local address" },
        { "64:ff9b::168.63.129.16", "embedding 168.63.129.16, Azure's host endpoint" },
        { "64:ff9b::", "embedding 0.0.0.0" },
        { "64:ff9b::ffff:ffff", "embedding 255.255.255.255" },
        { "64:ff9b::93.184.216.34", null },
        { "64:ff9b::1:7f00:1", null },
        // NAT64 local-use prefix 64:ff9b:1::/48 (RFC 8215): not globally reachable at all
        { "64:ff9b:1::127.0.0.1", "a local-use NAT64 address (RFC 8215) embedding 127.0.0.1, a loopback address" },
        { "64:ff9b:1::", "embedding 0.0.0.0" },
        { "64:ff9b:1::93.184.216.34", "a local-use IPv4/IPv6 translation (NAT64) address (RFC 8215)" },
        { "64:ff9b:1:ffff:ffff:ffff:5db8:d822", "local-use IPv4/IPv6 translation" },
        { "64:ff9b:2::93.184.216.34", null },
        // 6to4 2002::/16 (RFC 3056): the IPv4 address in bits 16–47 is judged
        { "2002:7f00:1::", "a 6to4 address (RFC 3056) embedding 127.0.0.1, a loopback address" },
        { "2002:c0a8:101::1", "embedding 192.168.1.1, a private-use address" },
        { "2002:a9fe:a9fe::", "embedding 169.254.169.254, a link-local address" },
        { "2002::", "embedding 0.0.0.0" },
        { "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "embedding 255.255.255.255" },
        { "2002:5db8:d822::1", null },
        { "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null },
        { "2003::1", null },
        // Teredo 2001::/32 (RFC 4380): the client address is the last 32 bits inverted; Teredo lies
        // in 2001::/23, so it is refused whatever the client is
        { "2001:0:4136:e378:8000:63bf:80ff:fffe", "a Teredo address (RFC 4380) embedding 127.0.0.1, a loopback address" },
        { "2001:0:4136:e378:8000:63bf:3f57:fefe", "embedding 192.168.1.1, a private-use address" },
        { "2001:0:4136:e378:8000:63bf:a247:27dd", "an IETF protocol assignment address (RFC 2928)" },
        // 2001::/23 IETF protocol assignments (RFC 2928) with benchmarking 2001:2::/48 (RFC 5180);
        // the anycast rows IANA marks reachable in it are refused with it
        { "2001:1::1", "IETF protocol assignment" },
        { "2001:2::1", "a benchmarking address (RFC 5180)" },
        { "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "IETF protocol assignment" },
        { "2001:200::1", null },
        // 2001:db8::/32 (RFC 3849) and 3fff::/20 (RFC 9637) documentation
        { "2001:db8::", "a documentation address (RFC 3849)" },
        { "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "documentation" },
        { "2001:db9::1", null },
        { "3fff::", "a documentation address (RFC 9637)" },
        { "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "documentation" },
        { "3fff:1000::", null },
        // 100::/64 discard-only (RFC 6666), 100:0:0:1::/64 dummy prefix (RFC 9780)
        { "100::", "a discard-only address (RFC 6666)" },
        { "100::ffff:ffff:ffff:ffff", "discard-only" },
        { "100:0:0:1::1", "a dummy IPv6 prefix address (RFC 9780)" },
        { "100:0:0:2::", null },
        // 5f00::/16 SRv6 SIDs (RFC 9602)
        { "5f00::1", "a segment routing (SRv6) SID (RFC 9602)" },
        { "5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "segment routing" },
        { "5f01::", null },
        // fc00::/7 unique-local (RFC 4193), fe80::/10 link-local, fec0::/10 site-local, ff00::/8 multicast
        { "fc00::", "a unique-local address (RFC 4193)" },
        { "fd00::2", "unique-local" },
        { "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "unique-local" },
        { "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null },
        { "fe00::", null },
        { "fe80::", "a link-local address (RFC 4291)" },
        { "fe80::fc:ff:fe00:1", "link-local" },
        { "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "link-local" },
        { "fec0::1", "a site-local address (RFC 3879)" },
        { "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "site-local" },
        { "ff00::", "a multicast address (RFC 4291" },
        { "ff02::1", "multicast" },
        // Ordinary public addresses
        { "93.184.216.34", null },
        { "2a00:1450:4001:82b::200e", null },
    };

    /// <summary>A guard that knows no own addresses, so only the ranges decide.</summary>
    private static AddressGuard Guard(bool allowPrivate = false, string allowed = "", params string[] own) =>
        new(allowPrivate, AddressGuard.ParseNetworks(allowed), () => own.Select(IPAddress.Parse).ToHashSet());

    [Theory]
    [MemberData(nameof(Addresses))]
    public void The_guard_refuses_every_range_that_is_not_globally_reachable(string address, string? refusal)
    {
        var actual = Guard().RefusalFor(IPAddress.Parse(address));

        if (refusal is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.NotNull(actual);
            Assert.Contains(refusal, actual, StringComparison.Ordinal);
        }

        // The switch for local runs and tests lifts all of it.
        Assert.Null(Guard(allowPrivate: true).RefusalFor(IPAddress.Parse(address)));
    }

    [Fact]
    public void The_machines_own_addresses_are_refused_whatever_their_range_unless_allowed()
    {
        var guard = Guard(own: ["93.184.216.34", "2a00:1450:4001:82b::200e"]);

        Assert.Equal("an address of this machine's own network interfaces", guard.RefusalFor(IPAddress.Parse("93.184.216.34")));
        Assert.Equal("an address of this machine's own network interfaces", guard.RefusalFor(IPAddress.Parse("::ffff:93.184.216.34")));
        Assert.Equal("an address of this machine's own network interfaces", guard.RefusalFor(IPAddress.Parse("2a00:1450:4001:82b::200e")));
        Assert.Contains("embedding 93.184.216.34, an address of this machine's own", guard.RefusalFor(IPAddress.Parse("64:ff9b::93.184.216.34")), StringComparison.Ordinal);
        Assert.Null(guard.RefusalFor(IPAddress.Parse("93.184.216.35")));
        Assert.Null(Guard(allowed: "93.184.216.34", own: ["93.184.216.34"]).RefusalFor(IPAddress.Parse("93.184.216.34")));
    }

    [Fact]
    public void Every_address_of_this_machines_interfaces_is_refused_by_default()
    {
        var own = MachineAddresses.Shared.Current();
        var guard = new AddressGuard(false, []);

        Assert.Contains(IPAddress.Loopback, own);
        Assert.All(own, address => Assert.NotNull(guard.RefusalFor(address)));
        // The addresses as DNS would give them: without an interface's scope id.
        Assert.All(own, address => Assert.Equal(0, address.AddressFamily == AddressFamily.InterNetworkV6 ? address.ScopeId : 0));
    }

    [Fact]
    public void Allowed_networks_open_exactly_what_they_name()
    {
        var guard = Guard(allowed: "10.20.0.0/16, 192.0.2.0/24, 168.63.129.16, fd00::/8");

        Assert.Null(guard.RefusalFor(IPAddress.Parse("10.20.1.5")));
        Assert.Null(guard.RefusalFor(IPAddress.Parse("::ffff:10.20.1.5")));
        Assert.Null(guard.RefusalFor(IPAddress.Parse("192.0.2.2")));
        Assert.Null(guard.RefusalFor(IPAddress.Parse("168.63.129.16")));
        Assert.Null(guard.RefusalFor(IPAddress.Parse("fd00::2")));
        Assert.Contains("private-use", guard.RefusalFor(IPAddress.Parse("10.21.1.5")), StringComparison.Ordinal);
        Assert.Contains("loopback", guard.RefusalFor(IPAddress.Parse("127.0.0.1")), StringComparison.Ordinal);
        Assert.Contains("unique-local", guard.RefusalFor(IPAddress.Parse("fc00::1")), StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => AddressGuard.ParseNetworks("10.20.0.0/16, intranet"));
    }
}
