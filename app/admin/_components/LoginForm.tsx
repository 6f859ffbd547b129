'use client';

import { useState } from 'react';
import { safeAdminNext } from '@/lib/auth/adminNext';
import { HttpError, sendJson } from './adminApi';
import s from '../admin.module.css';

function problem(err: unknown): string {
  if (!(err instanceof HttpError)) return 'Could not reach the server; try again.';
  if (err.status === 401) return 'Wrong password.';
  if (err.status === 429) return 'Too many attempts from this address; wait a few minutes and try again.';
  return err.message;
}

export function LoginForm({ next }: { next: string }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!password) return setError('Enter the admin password.');
    setBusy(true);
    setError(null);
    try {
      await sendJson('/api/admin/session', 'POST', { password });
      // A full load, so the server renders the dashboard with the new cookie; checked again here
      // because this component would follow any `next` it is given.
      window.location.assign(safeAdminNext(next));
    } catch (err) {
      setError(problem(err));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Admin sign-in">
      <label className={s.field} htmlFor="admin-password">
        Admin password
        <input
          id="admin-password"
          type="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-invalid={error ? true : undefined}
        />
      </label>
      <button type="submit" className={`${s.button} ${s.primary}`} disabled={busy}>
        Sign in
      </button>
      {error && (
        <p className={s.formError} role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
