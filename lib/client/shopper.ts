import { useSyncExternalStore } from 'react';
import { fetchJson, HttpError } from './fetchJson';

// The session cookie is HttpOnly, so the page cannot see it. The email the shopper signed in
// with is kept in localStorage as a hint for the UI; the server's 401 has the final word
// (and clears the hint). Static pages thus need no request to know who is signed in.
const KEY = 'flashgate.shopper';
const listeners = new Set<() => void>();

function read(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function rememberShopper(email: string | null): void {
  try {
    if (email) window.localStorage.setItem(KEY, email);
    else window.localStorage.removeItem(KEY);
  } catch {
    // storage disabled: the hint lives until the next page load
  }
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => e.key === KEY && listener();
  window.addEventListener('storage', onStorage); // another tab signed in or out
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The signed-in shopper's email; undefined while the page hydrates (not known yet). */
export function useShopperEmail(): string | null | undefined {
  return useSyncExternalStore(subscribe, read, () => undefined);
}

/** POST /api/session; resolves to an error message for the form, or null when signed in. */
export async function signIn(email: string): Promise<string | null> {
  try {
    await fetchJson('/api/session', { method: 'POST', body: { email } });
    rememberShopper(email.trim().toLowerCase());
    return null;
  } catch (err) {
    if (!(err instanceof HttpError)) return 'We could not reach the shop. Check your connection and try again.';
    return err.code === 'invalid_request' ? 'Please enter a valid email address.' : 'Signing in failed. Please try again.';
  }
}

/** DELETE /api/session; the hint goes whatever the answer. */
export async function signOut(): Promise<void> {
  await fetchJson('/api/session', { method: 'DELETE' }).catch(() => {});
  rememberShopper(null);
}
