import { adminSessionCookie } from '@/lib/auth/adminSession';
import { clientIp, signInAdmin } from '@/lib/auth/adminSignIn';
import { readJson } from '@/lib/http/body';
import { route } from '@/lib/http/handler';
import { assertSameOrigin } from '@/lib/http/origin';
import { adminSignInInput } from '@/lib/sale/schema';
import { NextResponse, type NextRequest } from 'next/server';

const isHttps = (req: NextRequest) =>
  req.nextUrl.protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';

// POST /api/admin/session: sign in to the dashboard with the admin password (rate-limited per IP)
export const POST = route(async (req) => {
  assertSameOrigin(req);
  const { password } = await readJson(req, adminSignInInput);
  const { token, expiresAt } = await signInAdmin(clientIp(req), password);
  const res = NextResponse.json({ expiresAt }, { headers: { 'cache-control': 'no-store' } });
  res.cookies.set(adminSessionCookie(token, isHttps(req)));
  return res;
});

// DELETE /api/admin/session: sign out
export const DELETE = route(async (req) => {
  assertSameOrigin(req);
  const res = new NextResponse(null, { status: 204 });
  res.cookies.set(adminSessionCookie('', isHttps(req), 0));
  return res;
});
