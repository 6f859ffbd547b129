import { AppError } from '../errors';
import type { ApiRequest } from '../http/core';
import { withRedis } from '../redis/client';
import { globalKeys } from '../redis/keys';
import { isAdminPassword } from './admin';
import { startAdminSession } from './adminSession';

// Admin sign-in attempts per IP, counted in Redis so every web process shares one budget
// (an in-process limiter would give N processes N times the guesses). Each attempt is counted
// before the password is checked, so concurrent guesses cannot slip past the limit; a
// successful sign-in clears the count.
export const SIGN_IN_ATTEMPTS = 10;
export const SIGN_IN_WINDOW_S = 15 * 60;

/**
 * The client's address: the first hop of X-Forwarded-For, which the web process rewrites
 * before Next sees the request (scripts/client-address.mjs: the socket's address, or the
 * entry TRUSTED_PROXY_HOPS from the right), so a client cannot choose its own.
 */
export function clientIp(req: Pick<ApiRequest, 'header'>): string {
  const first = req.header('x-forwarded-for')?.split(',')[0]?.trim();
  return first || 'unknown';
}

/** Count one attempt; throws 429 (with Retry-After) when this IP has used up its window. */
async function countSignInAttempt(ip: string): Promise<void> {
  const key = globalKeys().adminSignIns(ip);
  const replies = await withRedis((r) => r.multi().incr(key).expire(key, SIGN_IN_WINDOW_S, 'NX').ttl(key).exec());
  const attempts = Number(replies?.[0]?.[1] ?? 0);
  const ttl = Number(replies?.[2]?.[1] ?? SIGN_IN_WINDOW_S);
  if (attempts > SIGN_IN_ATTEMPTS) {
    throw new AppError('rate_limited', 'Too many sign-in attempts; try again later', {
      'retry-after': String(Math.max(1, ttl)),
    });
  }
}

/** The admin session token for the right password; 401 for a wrong one, 429 past the limit. */
export async function signInAdmin(ip: string, password: string): Promise<{ token: string; expiresAt: Date }> {
  await countSignInAttempt(ip);
  if (!isAdminPassword(password)) throw new AppError('unauthorized', 'Wrong password');
  await withRedis((r) => r.del(globalKeys().adminSignIns(ip)));
  return startAdminSession();
}
