import { env, type Env } from '../config';
import { AppError } from '../errors';
import type { ApiRequest } from './core';

type Site = Pick<Env, 'APP_ORIGIN' | 'TRUSTED_PROXY_HOPS'>;
type Headed = Pick<ApiRequest, 'header'>;

/**
 * CSRF guard for cookie-authenticated mutations: a browser always sends Origin on a
 * cross-site POST/PATCH/DELETE, and it must name this site. A request without Origin or
 * Sec-Fetch-Site comes from a non-browser client, which carries no ambient cookies to abuse.
 */
export function assertSameOrigin(req: Headed, site: Site = env): void {
  const origin = req.header('origin');
  if (!origin) {
    const fetchSite = req.header('sec-fetch-site');
    if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') throw foreign();
    return;
  }
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw foreign();
  }
  if (originHost !== siteHost(req, site)) throw foreign();
}

/**
 * This site's host: APP_ORIGIN's when set; else the Host the request was sent to, or, behind
 * trusted proxies, the one the outermost proxy received. Without trusted proxies
 * X-Forwarded-Host is whatever the client wrote, so an attacker's page could name its own.
 */
function siteHost(req: Headed, site: Site): string | null {
  if (site.APP_ORIGIN) return new URL(site.APP_ORIGIN).host;
  const forwarded = site.TRUSTED_PROXY_HOPS > 0 ? req.header('x-forwarded-host') : null;
  return forwarded ? hostBeforeProxies(forwarded, site.TRUSTED_PROXY_HOPS) : req.header('host');
}

// Proxies that append each add the host they received, after whatever the client sent: the
// outermost one's entry is `hops` from the right. Fewer entries: a proxy replaced the header.
function hostBeforeProxies(forwarded: string, hops: number): string {
  const entries = forwarded.split(',').map((h) => h.trim());
  return entries[Math.max(0, entries.length - hops)];
}

const foreign = () => new AppError('forbidden_origin', 'Cross-site requests are not allowed');

export const isMutation = (req: Pick<ApiRequest, 'method'>) => req.method !== 'GET' && req.method !== 'HEAD';
