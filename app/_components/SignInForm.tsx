'use client';

import { useId, useState, type FormEvent } from 'react';
import { signIn } from './api';

type Props = { intro: string; onSignedIn?: () => void };

/** Sign in with an email: the contract's shopper session, no password. */
export function SignInForm({ intro, onSignedIn }: Props) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSending(true);
    const problem = await signIn(email);
    setSending(false);
    setError(problem);
    if (!problem) onSignedIn?.();
  }

  return (
    <form className="sign-in" onSubmit={submit} noValidate>
      <p className="sign-in-intro">{intro}</p>
      <label htmlFor={`${id}-email`}>Email</label>
      <div className="sign-in-row">
        <input
          id={`${id}-email`}
          type="email"
          name="email"
          autoComplete="email"
          inputMode="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <button type="submit" className="button secondary" disabled={sending}>
          {sending ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
      <p id={`${id}-error`} className="field-error" role="alert">
        {error}
      </p>
    </form>
  );
}
