import { SignJWT, jwtVerify } from 'jose';
import type { NextRequest } from 'next/server';
import { env } from '../config';
import { isAdminBearer } from './admin';

// The dashboard's session: a signed (HS256) token in an HttpOnly, SameSite=Strict cookie.
// Its `kind` claim keeps it apart from the shopper's token, which is signed with the same secret.
export const ADMIN_COOKIE = 'fg_admin';
export const ADMIN_SESSION_TTL_S = 8 * 3600;
const key = new TextEncoder().encode(env.SESSION_SECRET);

/** `expiresAt` (seconds since the epoch) is for tests that need an expired token. */
export async function signAdminSession({ expiresAt }: { expiresAt?: number } = {}): Promise<string> {
  return new SignJWT({ kind: 'admin' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('admin')
    .setIssuedAt()
    .setExpirationTime(expiresAt ?? `${ADMIN_SESSION_TTL_S}s`)
    .sign(key);
}

/** True for a valid, unexpired admin session token. */
export async function verifyAdminSession(token: string | undefined): Promise<boolean> {
  if (!token) return false;
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
    return payload.kind === 'admin';
  } catch {
    return false;
  }
}

export const adminSessionCookie = (value: string, secure: boolean, maxAge = ADMIN_SESSION_TTL_S) => ({
  name: ADMIN_COOKIE,
  value,
  httpOnly: true,
  sameSite: 'strict' as const,
  secure,
  path: '/',
  maxAge,
});

export type AdminActor = 'api-token' | 'admin-session';

/** Which admin credential a request carries: the Bearer token (scripts) or the dashboard's cookie. */
export async function adminActorOf(req: NextRequest): Promise<AdminActor | null> {
  if (isAdminBearer(req.headers.get('authorization'))) return 'api-token';
  if (await verifyAdminSession(req.cookies.get(ADMIN_COOKIE)?.value)) return 'admin-session';
  return null;
}
