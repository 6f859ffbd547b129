import { NextRequest } from 'next/server';
import { env } from '@/lib/config';
import { SESSION_COOKIE, signSession } from '@/lib/auth/session';
import { apiRequestOf, toResponse } from '@/lib/http/app';
import { answer, type ApiRequest, type Endpoint, type Params } from '@/lib/http/core';

// Endpoints (lib/shop/api, lib/admin/api) are called in-process through the API core, with
// real Requests seen as the App Router adapter sees them, against the real Redis and
// PostgreSQL. lib/http/pages.db.test.ts runs them through the Pages adapter on a real socket,
// and the e2e suite covers the same paths through a real server.
const ORIGIN = 'http://shop.test';

type Options = {
  method?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  userId?: string;
  admin?: boolean;
};

/** The NextRequest a route handler (or the proxy) would get. */
export async function nextRequest(path: string, opts: Options = {}): Promise<NextRequest> {
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

export const request = async (path: string, opts: Options = {}): Promise<ApiRequest> => apiRequestOf(await nextRequest(path, opts));

/** What `endpoint` answers, read as the App Router adapter sends it: status, headers, parsed JSON body. */
export async function call<P extends Params>(endpoint: Endpoint<P>, req: ApiRequest, params: P = {} as P) {
  const res = toResponse(await answer(endpoint, req, params));
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
