import { randomBytes } from 'node:crypto';
import { withRedis } from '../redis/client';
import { globalKeys } from '../redis/keys';

// The dashboard's sessions live in Redis, so signing out revokes the cookie instead of only
// asking the browser to forget it. One key per session, expiring with its token, holds the
// epoch the session began in. Signing out deletes the key; signing out everywhere replaces the
// epoch, which no earlier session then matches. The epoch is random, not a counter: if Redis
// loses it, a fresh one matches no old session (a counter restarting at 0 would revive them).
// Every call goes through withRedis: Redis down is a 503, never a session taken on trust.

const randomId = () => randomBytes(16).toString('base64url');

/** Record a new session until `expiresAt` (seconds since the epoch); its id. */
export async function recordAdminSession(expiresAt: number): Promise<string> {
  const keys = globalKeys();
  const sessionId = randomId();
  const ttl = Math.max(1, expiresAt - Math.floor(Date.now() / 1000));
  await withRedis(async (r) => {
    const fresh = randomId();
    // The current epoch, or this fresh one if there is none yet, in one step.
    const epoch = (await r.set(keys.adminSessionEpoch, fresh, 'NX', 'GET')) ?? fresh;
    // Signed out everywhere in between: the session began before that, and is over.
    await r.set(keys.adminSession(sessionId), epoch, 'EX', ttl);
  });
  return sessionId;
}

/** Whether the session is still signed in: neither signed out nor ended by signing out everywhere. */
export async function isAdminSessionLive(sessionId: string): Promise<boolean> {
  const keys = globalKeys();
  const [epoch, began] = await withRedis((r) => r.mget(keys.adminSessionEpoch, keys.adminSession(sessionId)));
  return epoch !== null && began === epoch;
}

export async function endAdminSession(sessionId: string): Promise<void> {
  await withRedis((r) => r.del(globalKeys().adminSession(sessionId)));
}

/** Sign every dashboard session out; their keys expire on their own. */
export async function endAllAdminSessions(): Promise<void> {
  await withRedis((r) => r.set(globalKeys().adminSessionEpoch, randomId()));
}
