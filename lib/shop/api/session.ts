import { sessionCookie, signSession, userIdOf } from '../../auth/session';
import { readJson } from '../../http/body';
import { isHttps, signOutEndpoint } from '../../http/cookies';
import { json, type Endpoint } from '../../http/core';
import { assertSameOrigin } from '../../http/origin';
import { sessionInput } from '../../sale/schema';

/** POST /api/session: sign in with an email. */
export const signIn: Endpoint = async (req) => {
  assertSameOrigin(req);
  const { email } = await readJson(req, sessionInput);
  const userId = userIdOf(email);
  return { ...json({ userId }), cookies: [sessionCookie(await signSession(userId), isHttps(req))] };
};

/** DELETE /api/session: sign out. */
export const signOut = signOutEndpoint(sessionCookie);
