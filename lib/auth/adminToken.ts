import { SignJWT, jwtVerify } from 'jose';
import type { NextRequest } from 'next/server';
import { env } from '../config';
import { isAdminBearer } from './admin';

// The dashboard's token: signed (HS256), in an HttpOnly, SameSite=Strict cookie, naming
// (`sid`) a session kept in Redis (adminSessions.ts, checked by adminSession.ts). Its `kind`
// claim keeps it apart from the shopper's token, which is signed with the same secret.
// Nothing here touches Redis, so the proxy can use it without a connection of its own.
export const ADMIN_COOKIE = 'fg_admin';
export const ADMIN_SESSION_TTL_S = 8 * 3600;
const key = new TextEncoder().encode(env.SESSION_SECRET);

/** The token for session `sessionId`, valid until `expiresAt` (seconds since the epoch). */
export function signAdminToken(sessionId: string, expiresAt: number): Promise<string> {
  return new SignJWT({ kind: 'admin', sid: sessionId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('admin')
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(key);
}

/** The session id of a validly signed, unexpired admin token, else null. The signature only. */
export async function signedSessionId(token: string | undefined): Promise<string | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
    return payload.kind === 'admin' && typeof payload.sid === 'string' && payload.sid ? payload.sid : null;
  } catch {
    return null;
  }
}

export type AdminActor = 'api-token' | 'admin-session';

/** What a request shows of itself to the admin check: the Authorization header, the dashboard's cookie. */
export type AdminCredentials = { authorization: string | null; cookie: string | undefined };

/** The Bearer token (scripts), or a cookie whose token `isSession` accepts (the dashboard). */
export async function actorOf(
  { authorization, cookie }: AdminCredentials,
  isSession: (token: string | undefined) => Promise<boolean>,
): Promise<AdminActor | null> {
  if (isAdminBearer(authorization)) return 'api-token';
  if (await isSession(cookie)) return 'admin-session';
  return null;
}

/**
 * The proxy's cheap look: the cookie's signature only, no Redis. A signed-out cookie gets past
 * it and is refused by withAdmin or requireAdminPage, which check the session (adminActorOf).
 */
export const signedAdminActorOf = (req: NextRequest) =>
  actorOf(
    { authorization: req.headers.get('authorization'), cookie: req.cookies.get(ADMIN_COOKIE)?.value },
    async (token) => (await signedSessionId(token)) !== null,
  );
