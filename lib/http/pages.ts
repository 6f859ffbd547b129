import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { parseCookie } from 'next/dist/compiled/@edge-runtime/cookies';
import { setCookieValues } from './cookies';
import { answer, type ApiRequest, type ApiResponse, type Params } from './core';
import { byMethod, type Endpoints } from './methods';

// The Pages Router adapter. A file under pages/api is two lines and a config:
//
//   export default pagesRoute({ POST: purchase });
//   export const config = { api: { bodyParser: false } };
//
// The config is written out in each file because Next reads it there, statically (a
// re-exported one is ignored with a warning). Without it Next would read the body first,
// past the 16 KiB cap and with its own errors; `body` below refuses to run on such a route.

/** What Next hands a Pages API route: Node's request with the route's params in `query`. */
type PagesApiRequest = IncomingMessage & { query?: Partial<Record<string, string | string[]>>; body?: unknown };

class PagesRequest implements ApiRequest {
  private cookies: Map<string, string> | undefined;

  constructor(private readonly req: PagesApiRequest) {}

  get method() {
    return this.req.method ?? 'GET';
  }

  header(name: string) {
    const value = this.req.headers[name];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  cookie(name: string) {
    this.cookies ??= parseCookie(this.req.headers.cookie ?? '');
    return this.cookies.get(name);
  }

  get body(): AsyncIterable<Uint8Array> {
    if (this.req.body !== undefined) {
      throw new Error('Next parsed this body already: a pages/api route needs `export const config = { api: { bodyParser: false } }`');
    }
    // Stopping at the cap must not destroy the socket the 413 goes out on.
    return this.req.iterator({ destroyOnReturn: false });
  }

  aborted() {
    return this.req.destroyed && !this.req.complete;
  }

  get encrypted() {
    return (this.req.socket as TLSSocket).encrypted === true;
  }
}

function send(res: ServerResponse, { status, headers, body, cookies }: ApiResponse): void {
  res.statusCode = status;
  for (const name in headers) res.setHeader(name, headers[name]);
  if (cookies) res.setHeader('set-cookie', setCookieValues(cookies));
  // To a client that hung up this writes nothing, and throws nothing.
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** A Pages API route's handler, answering as `byMethod(served)` does (any method Node accepts). */
export function pagesRoute<P extends Params>(served: Endpoints<P>) {
  const endpoint = byMethod(served);
  // The file's dynamic segments are in `query`, ahead of any query-string parameter of the same name.
  return async (req: PagesApiRequest, res: ServerResponse): Promise<void> =>
    send(res, await answer(endpoint, new PagesRequest(req), (req.query ?? {}) as P));
}
