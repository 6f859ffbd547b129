import { adminActorOf, type AdminActor } from '../auth/adminSession';
import { SESSION_COOKIE, verifySession } from '../auth/session';
import { AppError } from '../errors';
import type { ApiRequest, ApiResponse, Endpoint, Params } from './core';
import { assertSameOrigin, isMutation } from './origin';

// Endpoints that need a caller are wrapped so none can forget the check: `withShopper` adds
// the session, `withAdmin` the admin check. Errors are mapped by the core (`answer`).
type Handler<P, Extra> = (req: ApiRequest, ctx: { params: P } & Extra) => Promise<ApiResponse>;

export function withShopper<P extends Params = Params>(fn: Handler<P, { userId: string }>): Endpoint<P> {
  return async (req, ctx) => {
    const userId = await verifySession(req.cookie(SESSION_COOKIE));
    if (!userId) throw new AppError('unauthenticated', 'Sign in to continue');
    if (isMutation(req)) assertSameOrigin(req);
    return fn(req, { ...ctx, userId });
  };
}

/**
 * Checked inside every admin endpoint, never only in middleware: the Bearer token or the
 * dashboard's session cookie. A cookie rides along on any request the browser makes, so
 * mutations carrying it must also come from this site (CSRF).
 */
export function withAdmin<P extends Params = Params>(fn: Handler<P, { actor: AdminActor }>): Endpoint<P> {
  return async (req, ctx) => {
    const actor = await adminActorOf(req);
    if (!actor) throw new AppError('unauthorized', 'Admin credentials required');
    if (actor === 'admin-session' && isMutation(req)) assertSameOrigin(req);
    return fn(req, { ...ctx, actor });
  };
}
