import type { NextRequest } from 'next/server';
import { setCookieValues } from './cookies';
import { answer, type ApiRequest, type ApiResponse, type Params } from './core';
import { byMethod, HTTP_METHODS, type Endpoints, type HttpMethod } from './methods';

// The App Router adapter: a route file under app/api exports what `appRoute` returns.

/** A NextRequest seen as an ApiRequest; nothing is copied, each part is read when asked for. */
class AppRequest implements ApiRequest {
  constructor(private readonly req: NextRequest) {}

  get method() {
    return this.req.method;
  }

  header(name: string) {
    return this.req.headers.get(name);
  }

  cookie(name: string) {
    return this.req.cookies.get(name)?.value;
  }

  get body() {
    // Node's ReadableStream is async iterable; the DOM typings Next's Request uses do not say so.
    return this.req.body as AsyncIterable<Uint8Array> | null;
  }

  aborted() {
    return this.req.signal.aborted;
  }

  get encrypted() {
    return this.req.nextUrl.protocol === 'https:';
  }
}

export const apiRequestOf = (req: NextRequest): ApiRequest => new AppRequest(req);

export function toResponse({ status, headers, body, cookies }: ApiResponse): Response {
  const res = new Response(body === undefined ? null : JSON.stringify(body), { status, headers });
  if (cookies) for (const value of setCookieValues(cookies)) res.headers.append('set-cookie', value);
  return res;
}

type RouteHandler<P> = (req: NextRequest, ctx: { params: Promise<P> }) => Promise<Response>;

/**
 * A handler for every method Next routes, answering as `byMethod(served)` does. Export them
 * all, so no method gets Next's empty 405:
 * `export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = appRoute({ POST: purchase });`
 */
export function appRoute<P extends Params>(served: Endpoints<P>): Record<HttpMethod, RouteHandler<P>> {
  const endpoint = byMethod(served);
  const handler: RouteHandler<P> = async (req, ctx) => toResponse(await answer(endpoint, new AppRequest(req), await ctx.params));
  return Object.fromEntries(HTTP_METHODS.map((m) => [m, handler])) as Record<HttpMethod, RouteHandler<P>>;
}
