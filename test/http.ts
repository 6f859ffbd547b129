import { NextRequest } from 'next/server';
import { env } from '@/lib/config';
import { SESSION_COOKIE, signSession } from '@/lib/auth/session';

// Route handlers are called in-process with real Requests, against the real Redis and
// PostgreSQL; the e2e suite covers the same paths through a real server.
const ORIGIN = 'http://shop.test';

type Options = {
  method?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  userId?: string;
  admin?: boolean;
};

export async function request(path: string, opts: Options = {}): Promise<NextRequest> {
  const headers = new Headers({ host: 'shop.test', ...opts.headers });
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  if (opts.userId) headers.set('cookie', `${SESSION_COOKIE}=${await signSession(opts.userId)}`);
  if (opts.admin) headers.set('authorization', `Bearer ${env.ADMIN_TOKEN}`);
  return new NextRequest(`${ORIGIN}${path}`, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body });
}

type Handler<P> = (req: NextRequest, ctx: { params: Promise<P> }) => Promise<Response>;

export async function call<P>(handler: Handler<P>, req: NextRequest, params: P = {} as P) {
  const res = await handler(req, { params: Promise.resolve(params) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
