'use client';

import { rememberShopper } from './shopper';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function errorOf(res: Response): Promise<HttpError> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  return new HttpError(res.status, body?.error?.code ?? 'internal', body?.error?.message ?? res.statusText);
}

/** SWR's fetcher: the JSON body, or an HttpError. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

/** POST /api/session; resolves to an error message for the form, or null when signed in. */
export async function signIn(email: string): Promise<string | null> {
  try {
    const res = await fetch('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    if (res.ok) {
      rememberShopper(email.trim().toLowerCase());
      return null;
    }
    const err = await errorOf(res);
    return err.code === 'invalid_request' ? 'Please enter a valid email address.' : 'Signing in failed. Please try again.';
  } catch {
    return 'We could not reach the shop. Check your connection and try again.';
  }
}

export async function signOut(): Promise<void> {
  await fetch('/api/session', { method: 'DELETE' }).catch(() => {});
  rememberShopper(null);
}
