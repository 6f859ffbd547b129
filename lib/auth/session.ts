import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { env } from '../config';
import { hs256Key, verifyHs256 } from './hs256';

// The shopper's session: a signed (HS256) token in an HttpOnly, SameSite=Lax cookie.
export const SESSION_COOKIE = 'fg_session';
const SESSION_TTL_S = 30 * 24 * 3600;
const key = new TextEncoder().encode(env.SESSION_SECRET);
const verifyKey = hs256Key(key);

/** The same email is always the same shopper, so signing in again does not reset the per-user limit. */
export function userIdOf(email: string): string {
  return `u${createHash('sha256').update(`flashgate:user:${email.toLowerCase()}`).digest('hex').slice(0, 24)}`;
}

export async function signSession(userId: string): Promise<string> {
  return new SignJWT({ kind: 'shopper' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${SESSION_TTL_S}s`)
    .sign(key);
}

/** The userId of a valid, unexpired shopper session, else null. */
export async function verifySession(token: string | undefined): Promise<string | null> {
  if (!token) return null;
  // Synchronous node:crypto HMAC (see hs256.ts): the hot path's biggest cost under jose.
  const claims = verifyHs256(token, verifyKey);
  return claims?.kind === 'shopper' && typeof claims.sub === 'string' ? claims.sub : null;
}

export const sessionCookie = (value: string, secure: boolean, maxAge = SESSION_TTL_S) => ({
  name: SESSION_COOKIE,
  value,
  httpOnly: true,
  sameSite: 'lax' as const,
  secure,
  path: '/',
  maxAge,
});
