import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress, trustedProxyHops } from './client-address.mjs';

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
    expect(clientAddress('1.1.1.1,  203.0.113.9 ', '10.0.0.2', 1)).toBe('203.0.113.9');
  });

  it('counts hops from the right and stops at the leftmost entry', () => {
    expect(clientAddress('203.0.113.9, 10.0.0.1', '10.0.0.2', 2)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.1', '10.0.0.2', 3)).toBe('10.0.0.1');
    expect(clientAddress('', '10.0.0.2', 1)).toBe('10.0.0.2');
  });
});

describe('addressKey', () => {
  it('drops ports, brackets and the IPv4-mapped prefix', () => {
    expect(addressKey('203.0.113.9:5678')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('[::ffff:203.0.113.9]:443')).toBe('203.0.113.9');
  });

  it('keys IPv6 on its /64, however it is written', () => {
    const key = '2001:db8:0:1::/64';
    for (const a of ['2001:db8:0:1::1', '2001:0db8:0000:0001:ffff:0:0:2', '[2001:db8:0:1:abcd::9]:443', '2001:DB8:0:1::7']) {
      expect(addressKey(a)).toBe(key);
    }
    expect(addressKey('2001:db8:0:2::1')).not.toBe(key);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('keeps anything else as it came', () => {
    expect(addressKey('unknown')).toBe('unknown');
    expect(addressKey('not an address')).toBe('not an address');
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
