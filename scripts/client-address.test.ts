import { describe, expect, it } from 'vitest';
import { clientAddress, trustedProxyHops } from './client-address.mjs';

describe('clientAddress', () => {
  it('trusts no forwarded header by default: the socket is the client', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.7', 0)).toBe('198.51.100.7');
    expect(clientAddress(undefined, '198.51.100.7', 0)).toBe('198.51.100.7');
    expect(clientAddress('1.1.1.1', undefined, 0)).toBe('unknown');
  });

  it('behind one proxy takes the address that proxy appended, not what the client sent', () => {
    // The client sent "1.1.1.1" itself; the proxy (10.0.0.2) appended the client's real address.
    expect(clientAddress('1.1.1.1, 203.0.113.9', '10.0.0.2', 1)).toBe('203.0.113.9');
    expect(clientAddress('203.0.113.9', '10.0.0.2', 1)).toBe('203.0.113.9');
    expect(clientAddress(['1.1.1.1', ' 203.0.113.9 '], '10.0.0.2', 1)).toBe('203.0.113.9');
  });

  it('counts hops from the right and stops at the leftmost entry', () => {
    expect(clientAddress('203.0.113.9, 10.0.0.1', '10.0.0.2', 2)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.1', '10.0.0.2', 3)).toBe('10.0.0.1');
    expect(clientAddress('', '10.0.0.2', 1)).toBe('10.0.0.2');
  });
});

describe('trustedProxyHops', () => {
  it('defaults to 0 and accepts 0..10', () => {
    expect(trustedProxyHops(undefined)).toBe(0);
    expect(trustedProxyHops('')).toBe(0);
    expect(trustedProxyHops('2')).toBe(2);
  });

  it('refuses anything else', () => {
    for (const bad of ['-1', '11', '1.5', 'yes']) expect(() => trustedProxyHops(bad)).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});
