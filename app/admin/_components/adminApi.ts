'use client';

import { HttpError } from '@/app/_components/api';

export { getJson, HttpError } from '@/app/_components/api';

/** A JSON request to the admin API; the parsed body, or an HttpError with the API's code and message. */
export async function sendJson<T>(url: string, method: 'POST' | 'PATCH' | 'DELETE', body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    throw new HttpError(res.status, payload?.error?.code ?? 'internal', payload?.error?.message ?? res.statusText);
  }
  return payload as T;
}

/** The message to show for a failed request. */
export function messageOf(err: unknown): string {
  if (err instanceof HttpError) {
    if (err.status === 401) return 'Your admin session has ended; sign in again.';
    return err.message;
  }
  return 'Could not reach the server; try again.';
}
