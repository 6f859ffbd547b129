import { ResponseCookies, type ResponseCookie } from 'next/dist/compiled/@edge-runtime/cookies';
import type { ApiRequest, ApiResponse, Endpoint } from './core';
import { assertSameOrigin } from './origin';

/** Cookies get Secure when the request came over HTTPS (directly or through a proxy). */
export const isHttps = (req: ApiRequest) => req.encrypted || req.header('x-forwarded-proto') === 'https';

type SessionCookie = (value: string, secure: boolean, maxAge?: number) => ResponseCookie;

/** 204 with the session cookie cleared. */
export function signedOut(req: ApiRequest, sessionCookie: SessionCookie): ApiResponse {
  return { status: 204, headers: {}, cookies: [sessionCookie('', isHttps(req), 0)] };
}

/**
 * A DELETE endpoint that signs out, for same-site requests only: ends the session on the
 * server when it lives there (`endSession`), then clears the cookie.
 */
export function signOutEndpoint(sessionCookie: SessionCookie, endSession?: (req: ApiRequest) => Promise<void>): Endpoint {
  return async (req) => {
    assertSameOrigin(req);
    await endSession?.(req);
    return signedOut(req, sessionCookie);
  };
}

/**
 * The Set-Cookie values of an answer, written by Next's own cookie jar: the same bytes
 * (`Expires` from `Max-Age`, attribute order) whichever router sends them.
 */
export function setCookieValues(cookies: ResponseCookie[]): string[] {
  const headers = new Headers();
  const jar = new ResponseCookies(headers);
  for (const cookie of cookies) jar.set(cookie);
  return headers.getSetCookie();
}
