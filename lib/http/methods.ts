import type { NextRequest } from 'next/server';
import { AppError } from '../errors';
import { errorResponse } from './respond';

// Next answers a method a route file does not export with an empty 405. Route files export
// every method it routes instead, through `allMethods`, so that answer is the contract's JSON too.
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type RouteHandler<Ctx> = (req: NextRequest, ctx: Ctx) => Response | Promise<Response>;

/** HEAD is GET without the body: the same status and headers (Content-Type, Cache-Control). */
function headOf<Ctx>(get: RouteHandler<Ctx>): RouteHandler<Ctx> {
  return async (req, ctx) => {
    const res = await get(req, ctx);
    await res.body?.cancel();
    return new Response(null, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/**
 * A handler for every method Next routes, for a route file that serves `served`: those as
 * they are, HEAD as GET without the body (where GET is served), OPTIONS a 204, anything else
 * the JSON 405 `method_not_allowed`; OPTIONS and the 405 name the served methods in `Allow`.
 * Export the rest next to the served ones: `export const { HEAD, PUT, ... } = allMethods({ GET, POST })`.
 */
export function allMethods<Ctx>(served: Partial<Record<HttpMethod, RouteHandler<Ctx>>>): Record<HttpMethod, RouteHandler<Ctx>> {
  const handlers: Partial<Record<HttpMethod, RouteHandler<Ctx>>> = { ...served };
  if (handlers.GET && !handlers.HEAD) handlers.HEAD = headOf(handlers.GET);
  const allow = [...new Set([...HTTP_METHODS.filter((m) => handlers[m]), 'OPTIONS'])].sort().join(', ');
  handlers.OPTIONS ??= () => new Response(null, { status: 204, headers: { allow } });
  const notAllowed = (req: NextRequest) =>
    errorResponse(new AppError('method_not_allowed', `${req.method} is not allowed here; this endpoint answers ${allow}`, { allow }));
  return Object.fromEntries(HTTP_METHODS.map((m) => [m, handlers[m] ?? notAllowed])) as Record<HttpMethod, RouteHandler<Ctx>>;
}
