/**
 * The SSRF guard: a fetch may reach only public unicast addresses, checked on the address actually
 * connected to (after DNS resolution, so a name that resolves to 127.0.0.1 or 169.254.169.254 is
 * refused too) and on every redirect. Hosts or CIDRs listed in ingest.allowPrivateHosts
 * (INGEST_ALLOW_PRIVATE) are let through, e.g. a provincial portal on the office network.
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
    const a = normalise(ipaddr.parse(address));
    const range = a.range();
    if (range === 'unicast') return undefined;
    if (hosts.has(hostname.toLowerCase()) || allowedAddress(a)) return undefined;
    return `${hostname} resolves to ${address} (${range}); private, loopback, link-local and metadata addresses are refused unless listed in ingest.allowPrivateHosts`;
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
