'use client';

import { sendJson } from './adminApi';
import s from '../admin.module.css';

export function SignOutButton() {
  async function signOut() {
    await sendJson('/api/admin/session', 'DELETE').catch(() => {});
    window.location.assign('/admin/login');
  }
  return (
    <button type="button" className={s.button} onClick={signOut}>
      Sign out
    </button>
  );
}
