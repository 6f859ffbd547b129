import { isDatabaseUnavailable } from '../db/errors';
import { AppError } from '../errors';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

/** The one place an error becomes a response; an unknown error is logged and hidden. */
export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    return json({ error: { code: err.code, message: err.message } }, err.status, err.headers);
  }
  if (isDatabaseUnavailable(err)) {
    return errorResponse(new AppError('unavailable', 'The order store is unavailable, try again shortly'));
  }
  console.error('unhandled error', err);
  return json({ error: { code: 'internal', message: 'Something went wrong on our side' } }, 500);
}
