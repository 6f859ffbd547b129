import { env } from '../config';
import { AppError } from '../errors';

/**
 * CSRF guard for cookie-authenticated mutations: a browser always sends Origin on a
 * cross-site POST/PATCH/DELETE, and it must name this site. A request without Origin or
 * Sec-Fetch-Site comes from a non-browser client, which carries no ambient cookies to abuse.
 */
export function assertSameOrigin(req: Request): void {
  const origin = req.headers.get('origin');
  if (!origin) {
    const site = req.headers.get('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') throw foreign();
    return;
  }
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw foreign();
  }
  const allowed = env.APP_ORIGIN ? new URL(env.APP_ORIGIN).host : host;
  if (originHost !== allowed) throw foreign();
}

const foreign = () => new AppError('forbidden_origin', 'Cross-site requests are not allowed');

export const isMutation = (req: Request) => req.method !== 'GET' && req.method !== 'HEAD';
