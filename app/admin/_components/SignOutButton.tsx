'use client';

import { useState } from 'react';
import { fetchJson, HttpError } from '@/lib/client/fetchJson';
import { ConfirmDialog } from './ConfirmDialog';
import { messageOf } from './messageOf';
import s from '../admin.module.css';

// Signing out ends the session in Redis, so a copy of the cookie kept elsewhere is dead too;
// "everywhere" ends every dashboard session, in every browser (docs/admin.md).
export function SignOutButton() {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function signOut(url: '/api/admin/session' | '/api/admin/sessions') {
    setConfirming(false);
    try {
      await fetchJson(url, { method: 'DELETE' });
    } catch (err) {
      // 401: the session had already ended. Anything else (Redis down) left it signed in: say so.
      if (!(err instanceof HttpError && err.status === 401)) return setError(`Not signed out: ${messageOf(err)}`);
    }
    window.location.assign('/admin/login');
  }

  return (
    <div className={s.actions}>
      <button type="button" className={s.button} onClick={() => signOut('/api/admin/session')}>
        Sign out
      </button>
      <button type="button" className={s.button} onClick={() => setConfirming(true)}>
        Sign out everywhere
      </button>
      {error && (
        <p className={s.formError} role="alert">
          {error}
        </p>
      )}
      <ConfirmDialog
        open={confirming}
        title="Sign out everywhere?"
        message="Every browser signed in to the dashboard, this one included, will have to sign in again."
        confirmLabel="Sign out everywhere"
        onConfirm={() => signOut('/api/admin/sessions')}
        onCancel={() => setConfirming(false)}
      />
    </div>
  );
}
