import * as ipaddr from 'ipaddr.js';

export type IpAllowlist = (ip: string | undefined) => boolean;

/**
 * Builds a matcher from entries such as `203.0.113.7`, `203.0.113.0/24` or `2001:db8::/32`.
 * IPv4-mapped IPv6 client addresses (`::ffff:203.0.113.7`, common behind Node's dual-stack sockets)
 * are compared as IPv4. Throws on an entry that is not an address or CIDR, naming it.
 */
export function parseIpAllowlist(entries: string[]): IpAllowlist {
  const ranges = entries
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      try {
        return entry.includes('/') ? ipaddr.parseCIDR(entry) : hostRange(ipaddr.parse(entry));
      } catch {
        throw new Error(`IP allowlist entry "${entry}" is not an IP address or CIDR range`);
      }
    });
  return (ip) => {
    if (!ip) return false;
    let address: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      address = ipaddr.process(ip);
    } catch {
      return false;
    }
    return ranges.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));
  };
}

function hostRange(address: ipaddr.IPv4 | ipaddr.IPv6): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const normalized = address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
  return [normalized, normalized.kind() === 'ipv4' ? 32 : 128];
}
