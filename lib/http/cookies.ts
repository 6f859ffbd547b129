import type { ResponseCookie } from 'next/dist/compiled/@edge-runtime/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { route } from './handler';
import { assertSameOrigin } from './origin';

/** Cookies get Secure when the request came over HTTPS (directly or through a proxy). */
export const isHttps = (req: NextRequest) =>
  req.nextUrl.protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';

type SessionCookie = (value: string, secure: boolean, maxAge?: number) => ResponseCookie;

/** 204 with the session cookie cleared. */
export function signedOut(req: NextRequest, sessionCookie: SessionCookie): NextResponse {
  const res = new NextResponse(null, { status: 204 });
  res.cookies.set(sessionCookie('', isHttps(req), 0));
  return res;
}

/**
 * A DELETE handler that signs out, for same-site requests only: ends the session on the
 * server when it lives there (`endSession`), then clears the cookie.
 */
export function signOutRoute(sessionCookie: SessionCookie, endSession?: (req: NextRequest) => Promise<void>) {
  return route(async (req) => {
    assertSameOrigin(req);
    await endSession?.(req);
    return signedOut(req, sessionCookie);
  });
}
