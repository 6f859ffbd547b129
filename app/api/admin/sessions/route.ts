import { adminSessionCookie } from '@/lib/auth/adminSession';
import { endAllAdminSessions } from '@/lib/auth/adminSessions';
import { signedOut } from '@/lib/http/cookies';
import { withAdmin } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';

// DELETE /api/admin/sessions: sign out everywhere (every dashboard session, the caller's too)
export const DELETE = withAdmin(async (req) => {
  await endAllAdminSessions();
  return signedOut(req, adminSessionCookie);
});

export const { GET, HEAD, POST, PUT, PATCH, OPTIONS } = allMethods({ DELETE });
