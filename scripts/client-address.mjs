// Who is the client? Next passes X-Forwarded-For through as the client sent it (it fills the
// header only when it is missing), so a client could name any address it likes and, say, get a
// fresh sign-in budget per guess. The web process rewrites the header before Next sees it: to
// the socket's address, or, behind TRUSTED_PROXY_HOPS proxies that each append the address
// they received from, to the entry that many hops from the right.

import net from 'node:net';

const MAX_HOPS = 10;

/** TRUSTED_PROXY_HOPS as a number (default 0); throws on anything but an integer 0..10. */
export function trustedProxyHops(value = '') {
  if (value.trim() === '') return 0;
  const hops = Number(value);
  if (!Number.isInteger(hops) || hops < 0 || hops > MAX_HOPS) {
    throw new Error(`TRUSTED_PROXY_HOPS must be an integer from 0 to ${MAX_HOPS}, got "${value}"`);
  }
  return hops;
}

/**
 * One client, one key: an IPv4 address without a port (`1.2.3.4:5678`, `::ffff:1.2.3.4` are
 * `1.2.3.4`); an IPv6 address as its /64, which one client commonly owns whole and could
 * otherwise walk through, one address per guess. Anything else is kept as it came.
 */
export function addressKey(address) {
  let a = address.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(a);
  if (v4WithPort) a = v4WithPort[1];
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(a);
  if (mapped) a = mapped[1];
  if (!net.isIPv6(a)) return a;
  return `${expandIPv6(a).slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address, without leading zeros. */
function expandIPv6(address) {
  const [head, tail = ''] = address.toLowerCase().split('::');
  const part = (s) => (s ? s.split(':') : []);
  const [left, right] = [part(head), part(tail)];
  // An embedded IPv4 tail (::1.2.3.4) is two hextets; only the first four matter here.
  const missing = 8 - left.length - right.length - right.filter((h) => h.includes('.')).length;
  return [...left, ...Array(address.includes('::') ? missing : 0).fill('0'), ...right].map((h) => h.replace(/^0+(?=.)/, ''));
}

/**
 * The client's address key. `forwardedFor` is the X-Forwarded-For header as received (a
 * string, or undefined), `socketAddress` the peer of the TCP connection.
 * The chain is every forwarded entry followed by the socket's address; the proxies we trust
 * are its last `hops` links, so the client is the entry just before them. With fewer entries
 * than that (a request that bypassed a proxy) the leftmost one is the best there is.
 */
export function clientAddress(forwardedFor, socketAddress, hops) {
  const chain = hops === 0 ? [] : (forwardedFor ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  chain.push(socketAddress ?? 'unknown');
  return addressKey(chain[Math.max(0, chain.length - 1 - hops)]);
}
