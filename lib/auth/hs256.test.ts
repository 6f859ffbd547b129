import { createHmac } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { hs256Key, verifyHs256 } from './hs256';

const secret = new TextEncoder().encode('a-test-secret-that-is-long-enough-0123456789');
const key = hs256Key(secret);
const sign = (claims: Record<string, unknown> = {}, alg = 'HS256', s = secret) =>
  new SignJWT({ kind: 'shopper', ...claims }).setProtectedHeader({ alg }).setSubject('u1').setIssuedAt().setExpirationTime('1h').sign(s);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const handMade = (header: object, payload: object) => {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
};

describe('verifyHs256', () => {
  it('accepts a token jose signed, with its claims', async () => {
    expect(verifyHs256(await sign(), key)).toMatchObject({ kind: 'shopper', sub: 'u1' });
  });

  it('refuses another secret, a changed payload or signature, and junk', async () => {
    const token = await sign();
    const [h, p, s] = token.split('.');
    expect(verifyHs256(await sign({}, 'HS256', new TextEncoder().encode('another-secret-that-is-long-enough-000')), key)).toBeNull();
    expect(verifyHs256(`${h}.${b64({ kind: 'shopper', sub: 'admin', exp: 9e9 })}.${s}`, key)).toBeNull();
    expect(verifyHs256(`${h}.${p}.${s.slice(0, -2)}AA`, key)).toBeNull();
    expect(verifyHs256(`${h}.${p}.${s}x`, key)).toBeNull();
    expect(verifyHs256(`${h}.${p}.${s}.x`, key)).toBeNull();
    for (const junk of ['', '.', '..', 'a.b.c', 'not a token']) expect(verifyHs256(junk, key)).toBeNull();
  });

  it('refuses alg none, other algorithms and header extensions', async () => {
    expect(verifyHs256(new UnsecuredJWT({ kind: 'shopper', sub: 'u1' }).encode(), key)).toBeNull();
    expect(verifyHs256(await sign({}, 'HS512'), key)).toBeNull();
    expect(verifyHs256(handMade({ alg: 'none' }, { sub: 'u1' }), key)).toBeNull();
    expect(verifyHs256(handMade({ alg: 'HS256', crit: ['x'], x: 1 }, { sub: 'u1' }), key)).toBeNull();
    expect(verifyHs256(handMade({ alg: 'HS256' }, { sub: 'u1' }), key)).toEqual({ sub: 'u1' });
  });

  it('refuses expired, not yet valid and malformed time claims', () => {
    const now = Date.now();
    const s = Math.floor(now / 1000);
    expect(verifyHs256(handMade({ alg: 'HS256' }, { exp: s }), key, now)).toBeNull();
    expect(verifyHs256(handMade({ alg: 'HS256' }, { exp: s + 1 }), key, now)).not.toBeNull();
    expect(verifyHs256(handMade({ alg: 'HS256' }, { exp: String(s + 60) }), key, now)).toBeNull();
    expect(verifyHs256(handMade({ alg: 'HS256' }, { nbf: s + 60 }), key, now)).toBeNull();
    expect(verifyHs256(handMade({ alg: 'HS256' }, { iat: 'yesterday' }), key, now)).toBeNull();
  });

  it('refuses claims that are not an object', () => {
    expect(verifyHs256(handMade({ alg: 'HS256' }, [1, 2]), key)).toBeNull();
  });
});
