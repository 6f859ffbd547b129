// What counts as a wrong answer to a hostile request, whatever the request was.
import { responseHeader, type RawResponse } from './rawHttp';
import { STANDARD_METHODS, type Resolved } from './requests';

/** No request may take longer than this to be answered (or refused). */
export const SLOW_MS = 5_000;

/** Why this answer is wrong, or null when it is acceptable. */
export function judge(method: string, req: Resolved, res: RawResponse, host: string): string | null {
  if (res.outcome === 'timeout') return 'no answer';
  // A kept-alive answer (the request sent its own Connection header) ends when the server's
  // keep-alive timeout closes the socket: its time is the time to the status line.
  const keptAlive = res.statusMs !== null && /^connection:\s*keep-alive/im.test(res.head);
  if ((keptAlive ? res.statusMs! : res.ms) > SLOW_MS && res.outcome !== 'gave_up') return `slower than ${SLOW_MS / 1000} s`;
  if (res.status !== null && res.status >= 500) {
    // 501 is the answer to a method the server does not implement at all.
    if (!(res.status === 501 && !STANDARD_METHODS.has(method))) return String(res.status);
  }
  if (res.status !== null && res.status >= 300 && res.status < 400) {
    const location = responseHeader(res.head, 'location');
    if (location && offSite(location, host)) return 'redirect off-site';
  }
  if (/\n\s+at .+[(\s]\S+:\d+:\d+\)?/.test(res.bodyPreview) || /node_modules|\.next\/server/.test(res.bodyPreview)) {
    return 'stack trace or server path in the body';
  }
  if (res.status === null && res.outcome !== 'gave_up' && !req.mayClose) return `${res.outcome} without an answer`;
  return null;
}

/** A Location that leaves this site: another host, or a scheme-relative `//host`. */
export function offSite(location: string, host: string): boolean {
  if (/^[\\/]{2}/.test(location) || /^\/\\/.test(location)) return true;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(location)) return false;
  try {
    return new URL(location).host !== host;
  } catch {
    return true;
  }
}
