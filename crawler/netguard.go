package crawler

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
)

// ErrPrivateAddress is returned when a URL resolves to an address that a
// crawler of public sites must not reach (loopback, private, link-local, ...).
var ErrPrivateAddress = errors.New("crawler: refusing to connect to a private address")

// guardNonPublic lists the ranges beyond the ones netip classifies itself.
var guardNonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001:10::/28"),    // ORCHID
	netip.MustParsePrefix("192.88.99.0/24"),  // 6to4 relay anycast
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
}

// guardIsPublic reports whether ip is a globally routable unicast address.
func guardIsPublic(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() ||
		ip.IsUnspecified() || !ip.IsGlobalUnicast() {
		return false
	}
	for _, p := range guardNonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// guardControl is a net.Dialer Control function: it runs after name
// resolution, on the address actually dialled, so a DNS answer that changes
// between a check and the connection (rebinding) cannot reach a private host.
func guardControl(network, address string, _ syscall.RawConn) error {
	return guardCheck(nil, network, address)
}

// guardControlAllowing is guardControl that also lets through the
// addresses of allow (Config.PrivateAllowlist).
func guardControlAllowing(allow []netip.Prefix) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error { return guardCheck(allow, network, address) }
}

func guardCheck(allow []netip.Prefix, network, address string) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %s is not an IP address", ErrPrivateAddress, host)
	}
	if !guardAllowed(allow, ip) {
		return fmt.Errorf("%w: %s (%s)", ErrPrivateAddress, ip, network)
	}
	return nil
}

// guardAllowed reports whether ip is public or in allow.
func guardAllowed(allow []netip.Prefix, ip netip.Addr) bool {
	if guardIsPublic(ip) {
		return true
	}
	ip = ip.Unmap()
	for _, p := range allow {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// guardResolve checks before any request that host resolves only to
// addresses the guard lets through, so that a URL given by a user is
// refused with a clear reason (the dial-time guard still holds against DNS
// answers that change afterwards).
func guardResolve(ctx context.Context, allow []netip.Prefix, host string) error {
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		if !guardAllowed(allow, ip) {
			return fmt.Errorf("%w: %s", ErrPrivateAddress, ip)
		}
		return nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Errorf("crawler: resolve %s: %w", host, err)
	}
	for _, a := range addrs {
		if !guardAllowed(allow, a) {
			return fmt.Errorf("%w: %s resolves to %s", ErrPrivateAddress, host, a)
		}
	}
	return nil
}
