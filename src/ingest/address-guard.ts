/**
 * The SSRF guard: a fetch may reach only public unicast addresses, checked on the address actually
 * connected to (after DNS resolution, so a name that resolves to 127.0.0.1 or 169.254.169.254 is
 * refused too) and on every redirect. Hosts or CIDRs listed in ingest.allowPrivateHosts
 * (INGEST_ALLOW_PRIVATE) are let through, e.g. a provincial portal on the office network.
 *
 * IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, SIIT
 * ::ffff:0:a.b.c.d, NAT64 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002::/16, Teredo 2001::/32) are judged
 * by the IPv4 address they carry: a gateway or the kernel may deliver them to that address.
 */
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export class BlockedAddressError extends Error {
  readonly code = 'address_blocked';
}

export interface AddressGuard {
  /** Throws BlockedAddressError when a literal IP host is not allowed; names are checked at lookup. */
  checkHost(hostname: string): void;
  /** A net.connect lookup that refuses private addresses after resolving. */
  lookup: LookupFunction;
}

export function createAddressGuard(allow: readonly string[]): AddressGuard {
  const hosts = new Set<string>();
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const entry of allow) {
    const e = entry.trim().toLowerCase();
    if (!e) continue;
    if (ipaddr.isValidCIDR(e)) ranges.push(ipaddr.parseCIDR(e));
    else if (ipaddr.isValid(e)) {
      const a = normalise(ipaddr.parse(e));
      ranges.push([a, a.kind() === 'ipv4' ? 32 : 128]);
    } else hosts.add(e);
  }

  const allowedAddress = (a: ipaddr.IPv4 | ipaddr.IPv6) => ranges.some(([net, bits]) => net.kind() === a.kind() && a.match(net, bits));

  /** The reason an address may not be reached, or undefined when it may. */
  function refusal(hostname: string, address: string): string | undefined {
    if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
    const parsed = ipaddr.parse(address);
    if (allowedAddress(parsed)) return undefined;
    const carried = parsed.kind() === 'ipv6' ? embeddedIPv4(parsed as ipaddr.IPv6) : [];
    for (const a of carried.length ? carried : [parsed]) {
      const range = a.range();
      if (range === 'unicast') continue;
      if (hosts.has(hostname.toLowerCase()) || allowedAddress(a)) continue;
      const via = carried.length ? ` carrying ${a.toString()}` : '';
      return `${hostname} resolves to ${address}${via} (${range}); private, loopback, link-local and metadata addresses are refused unless listed in ingest.allowPrivateHosts`;
    }
    return undefined;
  }

  const bare = (h: string) => h.replace(/^\[|\]$/g, '');

  return {
    checkHost(hostname) {
      const h = bare(hostname);
      if (!ipaddr.isValid(h)) return;
      const reason = refusal(h, h);
      if (reason) throw new BlockedAddressError(reason);
    },
    lookup(hostname, options, callback) {
      dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, '', 0);
        const list = addresses as dns.LookupAddress[];
        for (const { address } of list) {
          const reason = refusal(hostname, address);
          if (reason) return callback(new BlockedAddressError(reason), '', 0);
        }
        if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
        const first = list[0];
        if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
        callback(null, first.address, first.family);
      });
    },
  };
}

function normalise(a: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
}

const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);

/**
 * The IPv4 addresses an IPv6 address carries, by transition mechanism; empty for a plain IPv6 address.
 * Teredo carries two (the server, and the client obfuscated by inverting its bits); both must be public.
 */
export function embeddedIPv4(a: ipaddr.IPv6): ipaddr.IPv4[] {
  const p = a.parts;
  const zero = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && p[5] === 0xffff) return [v4(p[6]!, p[7]!)]; // mapped ::ffff:0:0/96
  if (zero(0, 4) && p[4] === 0xffff && p[5] === 0) return [v4(p[6]!, p[7]!)]; // SIIT ::ffff:0:0:0/96
  if (zero(0, 6) && (p[6] !== 0 || p[7]! > 1)) return [v4(p[6]!, p[7]!)]; // compatible ::/96, not :: or ::1
  if (p[0] === 0x64 && p[1] === 0xff9b && (zero(2, 6) || p[2] === 1)) return [v4(p[6]!, p[7]!)]; // NAT64, well-known and local-use
  if (p[0] === 0x2002) return [v4(p[1]!, p[2]!)]; // 6to4
  if (p[0] === 0x2001 && p[1] === 0) return [v4(p[2]!, p[3]!), v4(p[6]! ^ 0xffff, p[7]! ^ 0xffff)]; // Teredo
  return [];
}
