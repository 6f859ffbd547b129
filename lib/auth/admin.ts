import { createHmac, timingSafeEqual } from 'node:crypto';
import { env } from '../config';

// Compare HMACs of both sides: equal length always, and constant time.
function sameSecret(given: string, expected: string): boolean {
  const mac = (s: string) => createHmac('sha256', env.SESSION_SECRET).update(s).digest();
  return timingSafeEqual(mac(given), mac(expected));
}

/** `Authorization: Bearer $ADMIN_TOKEN`, for scripts and operators. */
export function isAdminBearer(authorization: string | null): boolean {
  const match = /^Bearer (\S+)$/.exec(authorization ?? '');
  return match !== null && sameSecret(match[1], env.ADMIN_TOKEN);
}

export function isAdminPassword(password: string): boolean {
  return sameSecret(password, env.ADMIN_PASSWORD);
}
