// Who is the client? Next passes X-Forwarded-For through as the client sent it (it fills the
// header only when it is missing), so a client could name any address it likes and, say, get a
// fresh sign-in budget per guess. The web process rewrites the header before Next sees it: to
// the socket's address, or, behind TRUSTED_PROXY_HOPS proxies that each append the address
// they received from, to the entry that many hops from the right.

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
 * The client's address. `forwardedFor` is the X-Forwarded-For header as received (a string, an
 * array for repeated headers, or undefined), `socketAddress` the peer of the TCP connection.
 * The chain is every forwarded entry followed by the socket's address; the proxies we trust
 * are its last `hops` links, so the client is the entry just before them. With fewer entries
 * than that (a request that bypassed a proxy) the leftmost one is the best there is.
 */
export function clientAddress(forwardedFor, socketAddress, hops) {
  const chain = hops === 0 ? [] : [forwardedFor ?? []].flat().flatMap((h) => h.split(',')).map((h) => h.trim()).filter(Boolean);
  chain.push(socketAddress ?? 'unknown');
  return chain[Math.max(0, chain.length - 1 - hops)];
}
