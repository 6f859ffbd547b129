import type { NextRequest } from 'next/server';
import { adminActorOf, type AdminActor } from '../auth/adminSession';
import { SESSION_COOKIE, verifySession } from '../auth/session';
import { AppError } from '../errors';
import { assertSameOrigin, isMutation } from './origin';
import { errorResponse } from './respond';

// Route handlers are wrapped so none can forget auth or error mapping:
// `route` maps errors, `withShopper` adds the session, `withAdmin` the admin check.
type Params = Record<string, string>;
type NextContext<P> = { params: Promise<P> };
type Handler<P, Extra> = (req: NextRequest, ctx: { params: P } & Extra) => Promise<Response>;

export function route<P extends Params = Params>(fn: Handler<P, object>) {
  return async (req: NextRequest, ctx: NextContext<P>): Promise<Response> => {
    try {
      return await fn(req, { params: await ctx.params });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export function withShopper<P extends Params = Params>(fn: Handler<P, { userId: string }>) {
  return route<P>(async (req, ctx) => {
    const userId = await verifySession(req.cookies.get(SESSION_COOKIE)?.value);
    if (!userId) throw new AppError('unauthenticated', 'Sign in to continue');
    if (isMutation(req)) assertSameOrigin(req);
    return fn(req, { ...ctx, userId });
  });
}

/**
 * Checked inside every admin handler, never only in middleware: the Bearer token or the
 * dashboard's session cookie. A cookie rides along on any request the browser makes, so
 * mutations carrying it must also come from this site (CSRF).
 */
export function withAdmin<P extends Params = Params>(fn: Handler<P, { actor: AdminActor }>) {
  return route<P>(async (req, ctx) => {
    const actor = await adminActorOf(req);
    if (!actor) throw new AppError('unauthorized', 'Admin credentials required');
    if (actor === 'admin-session' && isMutation(req)) assertSameOrigin(req);
    return fn(req, { ...ctx, actor });
  });
}
