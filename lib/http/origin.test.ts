import { describe, expect, it } from 'vitest';
import { assertSameOrigin } from './origin';

// The CSRF check names this site by APP_ORIGIN, else by the Host the client connected to;
// X-Forwarded-Host only counts when the deployment says proxies are in front, since any
// client can send it.
const req = (headers: Record<string, string>) => {
  const all = new Headers(headers);
  return { header: (name: string) => all.get(name) };
};
const DIRECT = { APP_ORIGIN: undefined, TRUSTED_PROXY_HOPS: 0 };
const BEHIND_ONE_PROXY = { APP_ORIGIN: undefined, TRUSTED_PROXY_HOPS: 1 };
const forbidden = { code: 'forbidden_origin' };

describe('assertSameOrigin', () => {
  it('refuses a foreign Origin that names itself in X-Forwarded-Host when no proxy is trusted', () => {
    const attack = req({ host: 'shop.test', origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' });
    expect(() => assertSameOrigin(attack, DIRECT)).toThrow(expect.objectContaining(forbidden));
  });

  it('refuses it with APP_ORIGIN set, proxies or not', () => {
    const attack = req({ host: 'shop.test', origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' });
    for (const hops of [0, 2]) {
      expect(() => assertSameOrigin(attack, { APP_ORIGIN: 'https://shop.example', TRUSTED_PROXY_HOPS: hops })).toThrow(
        expect.objectContaining(forbidden),
      );
    }
  });

  it('accepts the Host the client connected to, whatever X-Forwarded-Host says, when no proxy is trusted', () => {
    expect(() => assertSameOrigin(req({ host: 'shop.test', origin: 'http://shop.test' }), DIRECT)).not.toThrow();
    expect(() => assertSameOrigin(req({ host: 'shop.test', origin: 'http://shop.test', 'x-forwarded-host': 'other.example' }), DIRECT)).not.toThrow();
    expect(() => assertSameOrigin(req({ host: 'shop.test:3000', origin: 'http://shop.test:3000' }), DIRECT)).not.toThrow();
    expect(() => assertSameOrigin(req({ host: 'shop.test', origin: 'http://shop.test:3000' }), DIRECT)).toThrow(expect.objectContaining(forbidden));
  });

  it('accepts APP_ORIGIN and refuses the bare Host once it is set', () => {
    const site = { APP_ORIGIN: 'https://shop.example', TRUSTED_PROXY_HOPS: 0 };
    expect(() => assertSameOrigin(req({ host: '10.0.0.5:3000', origin: 'https://shop.example' }), site)).not.toThrow();
    expect(() => assertSameOrigin(req({ host: '10.0.0.5:3000', origin: 'http://10.0.0.5:3000' }), site)).toThrow(expect.objectContaining(forbidden));
  });

  it('behind trusted proxies, takes the host the outermost proxy received', () => {
    const viaProxy = (origin: string, forwardedHost: string, hops = BEHIND_ONE_PROXY) =>
      () => assertSameOrigin(req({ host: '10.0.0.5:3000', origin, 'x-forwarded-host': forwardedHost }), hops);
    expect(viaProxy('https://shop.example', 'shop.example')).not.toThrow();
    expect(viaProxy('https://evil.example', 'shop.example')).toThrow(expect.objectContaining(forbidden));
    // A client's own value comes before what the proxies append.
    expect(viaProxy('https://evil.example', 'evil.example, shop.example')).toThrow(expect.objectContaining(forbidden));
    expect(viaProxy('https://shop.example', 'evil.example, shop.example')).not.toThrow();
    const two = { APP_ORIGIN: undefined, TRUSTED_PROXY_HOPS: 2 };
    expect(viaProxy('https://shop.example', 'evil.example, shop.example, lb.internal', two)).not.toThrow();
    expect(() => assertSameOrigin(req({ host: 'shop.example', origin: 'https://shop.example' }), BEHIND_ONE_PROXY)).not.toThrow();
  });

  it('refuses a malformed Origin and a cross-site fetch without one; lets a non-browser client through', () => {
    expect(() => assertSameOrigin(req({ host: 'shop.test', origin: 'null' }), DIRECT)).toThrow(expect.objectContaining(forbidden));
    expect(() => assertSameOrigin(req({ host: 'shop.test', 'sec-fetch-site': 'cross-site' }), DIRECT)).toThrow(expect.objectContaining(forbidden));
    expect(() => assertSameOrigin(req({ host: 'shop.test', 'sec-fetch-site': 'same-origin' }), DIRECT)).not.toThrow();
    expect(() => assertSameOrigin(req({ host: 'shop.test' }), DIRECT)).not.toThrow();
  });
});
