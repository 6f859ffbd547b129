import { sessionCookie, signSession, userIdOf } from '@/lib/auth/session';
import { readJson } from '@/lib/http/body';
import { isHttps, signOutRoute } from '@/lib/http/cookies';
import { route } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { assertSameOrigin } from '@/lib/http/origin';
import { sessionInput } from '@/lib/sale/schema';
import { NextResponse } from 'next/server';

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
export const DELETE = signOutRoute(sessionCookie);

export const { GET, HEAD, PUT, PATCH, OPTIONS } = allMethods({ POST, DELETE });
