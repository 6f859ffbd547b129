import { adminSessionCookie, endAdminSessionOf } from '../../auth/adminSession';
import { endAllAdminSessions } from '../../auth/adminSessions';
import { clientIp, signInAdmin } from '../../auth/adminSignIn';
import { readJson } from '../../http/body';
import { isHttps, signedOut, signOutEndpoint } from '../../http/cookies';
import { json, type Endpoint } from '../../http/core';
import { withAdmin } from '../../http/handler';
import { assertSameOrigin } from '../../http/origin';
import { adminSignInInput } from '../../sale/schema';

/** POST /api/admin/session: sign in to the dashboard with the admin password (rate-limited per IP). */
export const dashboardSignIn: Endpoint = async (req) => {
  assertSameOrigin(req);
  const { password } = await readJson(req, adminSignInInput);
  const { token, expiresAt } = await signInAdmin(clientIp(req), password);
  return { ...json({ expiresAt }), cookies: [adminSessionCookie(token, isHttps(req))] };
};

/** DELETE /api/admin/session: sign out (the session ends in Redis, so the cookie is dead even if kept). */
export const dashboardSignOut = signOutEndpoint(adminSessionCookie, endAdminSessionOf);

/** DELETE /api/admin/sessions: sign out everywhere (every dashboard session, the caller's too). */
export const dashboardSignOutEverywhere = withAdmin(async (req) => {
  await endAllAdminSessions();
  return signedOut(req, adminSessionCookie);
});
