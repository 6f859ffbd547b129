import { NextResponse, type NextRequest } from 'next/server';
import { signedAdminActorOf } from '@/lib/auth/adminToken';
import { AppError } from '@/lib/errors';
import { errorResponse } from '@/lib/http/respond';

// Keeps the dashboard closed without an admin session: pages redirect to the sign-in,
// API calls get 401. A convenience only: withAdmin and requireAdminPage are the real checks,
// so a request that skips this (a spoofed x-middleware-subrequest) gains nothing. It checks
// the cookie's signature, not Redis: they check whether the session was signed out, and
// answer a Redis outage with 503, so asking Redis here too would only double the round trips.
const OPEN = new Set(['/admin/login', '/api/admin/session']);

export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (OPEN.has(pathname) || (await signedAdminActorOf(req))) return NextResponse.next();
  if (pathname.startsWith('/api/')) return errorResponse(new AppError('unauthorized', 'Admin credentials required'));
  const login = new URL('/admin/login', req.url);
  login.searchParams.set('next', `${pathname}${search}`);
  return NextResponse.redirect(login);
}

// Only the admin paths: the shopper's API is the hot path and must not pay for this.
export const config = { matcher: ['/admin/:path*', '/api/admin/:path*'] };
