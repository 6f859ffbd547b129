import { sessionCookie, signSession, userIdOf } from '@/lib/auth/session';
import { readJson } from '@/lib/http/body';
import { route } from '@/lib/http/handler';
import { assertSameOrigin } from '@/lib/http/origin';
import { sessionInput } from '@/lib/sale/schema';
import { NextResponse, type NextRequest } from 'next/server';

const isHttps = (req: NextRequest) =>
  req.nextUrl.protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';

// POST /api/session: sign in with an email
export const POST = route(async (req) => {
  assertSameOrigin(req);
  const { email } = await readJson(req, sessionInput);
  const userId = userIdOf(email);
  const res = NextResponse.json({ userId }, { headers: { 'cache-control': 'no-store' } });
  res.cookies.set(sessionCookie(await signSession(userId), isHttps(req)));
  return res;
});

// DELETE /api/session: sign out
export const DELETE = route(async (req) => {
  assertSameOrigin(req);
  const res = new NextResponse(null, { status: 204 });
  res.cookies.set(sessionCookie('', isHttps(req), 0));
  return res;
});
