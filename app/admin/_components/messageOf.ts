import { HttpError } from '@/lib/client/fetchJson';

/** The dashboard's words for a failed request. */
export function messageOf(err: unknown): string {
  if (!(err instanceof HttpError)) return 'Could not reach the server; try again.';
  return err.status === 401 ? 'Your admin session has ended; sign in again.' : err.message;
}
