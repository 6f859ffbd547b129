import { adminSessionCookie, endAdminSessionOf } from '@/lib/auth/adminSession';
import { clientIp, signInAdmin } from '@/lib/auth/adminSignIn';
import { readJson } from '@/lib/http/body';
import { isHttps, signOutRoute } from '@/lib/http/cookies';
import { route } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { assertSameOrigin } from '@/lib/http/origin';
import { adminSignInInput } from '@/lib/sale/schema';
import { NextResponse } from 'next/server';

// POST /api/admin/session: sign in to the dashboard with the admin password (rate-limited per IP)
export const POST = route(async (req) => {
  assertSameOrigin(req);
  const { password } = await readJson(req, adminSignInInput);
  const { token, expiresAt } = await signInAdmin(clientIp(req), password);
  const res = NextResponse.json({ expiresAt }, { headers: { 'cache-control': 'no-store' } });
  res.cookies.set(adminSessionCookie(token, isHttps(req)));
  return res;
});

// DELETE /api/admin/session: sign out (the session ends in Redis, so the cookie is dead even if kept)
export const DELETE = signOutRoute(adminSessionCookie, endAdminSessionOf);

export const { GET, HEAD, PUT, PATCH, OPTIONS } = allMethods({ POST, DELETE });
