import type { ResponseCookie } from 'next/dist/compiled/@edge-runtime/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { route } from './handler';
import { assertSameOrigin } from './origin';

/** Cookies get Secure when the request came over HTTPS (directly or through a proxy). */
export const isHttps = (req: NextRequest) =>
  req.nextUrl.protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';

type SessionCookie = (value: string, secure: boolean, maxAge?: number) => ResponseCookie;

/** A DELETE handler that signs out: clears the session cookie, for same-site requests only. */
export function signOutRoute(sessionCookie: SessionCookie) {
  return route(async (req) => {
    assertSameOrigin(req);
    const res = new NextResponse(null, { status: 204 });
    res.cookies.set(sessionCookie('', isHttps(req), 0));
    return res;
  });
}
