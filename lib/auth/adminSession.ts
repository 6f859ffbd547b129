import type { ApiRequest } from '../http/core';
import { endAdminSession, isAdminSessionLive, recordAdminSession } from './adminSessions';
import { actorOf, ADMIN_COOKIE, ADMIN_SESSION_TTL_S, signAdminToken, signedSessionId, type AdminActor } from './adminToken';

// The dashboard's session: a signed token in a cookie (adminToken.ts) naming a session kept in
// Redis (adminSessions.ts). A cookie counts only while its session lives, so signing out
// revokes it rather than only asking the browser to forget it.
export { ADMIN_COOKIE, ADMIN_SESSION_TTL_S, type AdminActor } from './adminToken';

/**
 * Sign in: a new session recorded in Redis, and the token that names it.
 * `expiresAt` (seconds since the epoch) is for tests that need an expired token.
 */
export async function startAdminSession({
  expiresAt = Math.floor(Date.now() / 1000) + ADMIN_SESSION_TTL_S,
}: { expiresAt?: number } = {}): Promise<{ token: string; expiresAt: Date }> {
  const sessionId = await recordAdminSession(expiresAt);
  return { token: await signAdminToken(sessionId, expiresAt), expiresAt: new Date(expiresAt * 1000) };
}

/** True for a validly signed, unexpired admin token whose session is still signed in; 503 with Redis down. */
export async function verifyAdminSession(token: string | undefined): Promise<boolean> {
  const sessionId = await signedSessionId(token);
  return sessionId !== null && (await isAdminSessionLive(sessionId));
}

/** Sign out the session the request's cookie names, if it names one. */
export async function endAdminSessionOf(req: ApiRequest): Promise<void> {
  const sessionId = await signedSessionId(req.cookie(ADMIN_COOKIE));
  if (sessionId) await endAdminSession(sessionId);
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

/**
 * Which admin credential a request carries: the Bearer token (scripts) or a signed-in
 * dashboard session (the proxy's `signedAdminActorOf` looks at the cookie's signature only).
 */
export const adminActorOf = (req: ApiRequest): Promise<AdminActor | null> =>
  actorOf({ authorization: req.header('authorization'), cookie: req.cookie(ADMIN_COOKIE) }, verifyAdminSession);
