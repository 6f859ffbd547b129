import type { ResponseCookie } from 'next/dist/compiled/@edge-runtime/cookies';
import { isDatabaseUnavailable } from '../db/errors';
import { AppError } from '../errors';

// The API's own request and response, whichever router delivers them: endpoints are written
// once against these, and lib/http/app.ts (App Router route handlers) and lib/http/pages.ts
// (Pages API routes) translate. Both adapters are thin on purpose: the purchase is the hot path.

/** What an endpoint may ask of a request. Header and cookie names are lower case. */
export interface ApiRequest {
  readonly method: string;
  /** As web `Headers.get` answers: repeated headers joined with ", ", null when absent. */
  header(name: string): string | null;
  cookie(name: string): string | undefined;
  /** The body as it arrives; read it through `readJson` (lib/http/body.ts), which caps it. */
  readonly body: AsyncIterable<Uint8Array> | null;
  /** Whether the client has hung up: a body that fails then is its doing, not ours. */
  aborted(): boolean;
  /** The connection to this process is TLS (a proxy's `X-Forwarded-Proto` is read apart). */
  readonly encrypted: boolean;
}

export type ApiResponse = {
  status: number;
  headers: Record<string, string>;
  /** A JSON value; absent, no body at all (a 204, a HEAD). */
  body?: unknown;
  cookies?: ResponseCookie[];
};

export type Params = Record<string, string>;
export type Endpoint<P extends Params = Params> = (req: ApiRequest, ctx: { params: P }) => Promise<ApiResponse>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, body };
}

/** The one place an error becomes an answer; an unknown error is logged and hidden. */
export function errorJson(err: unknown): ApiResponse {
  if (err instanceof AppError) {
    return json({ error: { code: err.code, message: err.message } }, err.status, err.headers);
  }
  if (isDatabaseUnavailable(err)) {
    return errorJson(new AppError('unavailable', 'The order store is unavailable, try again shortly'));
  }
  console.error('unhandled error', err);
  return json({ error: { code: 'internal', message: 'Something went wrong on our side' } }, 500);
}

/** Run an endpoint: what it answers, or what it threw as the contract's JSON error. */
export async function answer<P extends Params>(endpoint: Endpoint<P>, req: ApiRequest, params: P): Promise<ApiResponse> {
  try {
    return await endpoint(req, { params });
  } catch (err) {
    return errorJson(err);
  }
}
