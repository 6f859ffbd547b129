'use client';

import { CredentialForm } from '@/app/_components/CredentialForm';
import { safeAdminNext } from '@/lib/auth/adminNext';
import { fetchJson, HttpError } from '@/lib/client/fetchJson';
import { messageOf } from './messageOf';
import s from '../admin.module.css';

const PASSWORD = { type: 'password', autoComplete: 'current-password', autoFocus: true } as const;

async function signIn(password: string, next: string): Promise<string | null> {
  if (!password) return 'Enter the admin password.';
  try {
    await fetchJson('/api/admin/session', { method: 'POST', body: { password } });
  } catch (err) {
    if (err instanceof HttpError && err.status === 401) return 'Wrong password.';
    if (err instanceof HttpError && err.status === 429) return 'Too many attempts from this address; wait a few minutes and try again.';
    return messageOf(err);
  }
  // A full load, so the server renders the dashboard with the new cookie; checked again here
  // because this component would follow any `next` it is given.
  window.location.assign(safeAdminNext(next));
  return null;
}

export function LoginForm({ next }: { next: string }) {
  return (
    <CredentialForm
      label="Admin password"
      input={PASSWORD}
      signIn={(password) => signIn(password, next)}
      aria-label="Admin sign-in"
      buttonClassName={`${s.button} ${s.primary}`}
      errorClassName={s.formError}
    />
  );
}
