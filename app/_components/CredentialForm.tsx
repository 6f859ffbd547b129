'use client';

import { useId, useState, type FormEvent, type InputHTMLAttributes } from 'react';

type Props = {
  label: string;
  /** The input's own attributes (type, autoComplete, ...); its id, value and aria wiring are the form's. */
  input: InputHTMLAttributes<HTMLInputElement>;
  /** Resolves to the message to show, or null when signed in: the button then stays busy while the caller moves on. */
  signIn: (value: string) => Promise<string | null>;
  intro?: string;
  'aria-label'?: string;
  buttonClassName: string;
  errorClassName: string;
};

/**
 * The sign-in form of the shop (an email) and of the dashboard (a password): one field, its
 * error announced and tied to it, and the Sign in button.
 */
export function CredentialForm({ label, input, signIn, intro, 'aria-label': ariaLabel, buttonClassName, errorClassName }: Props) {
  const id = useId();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null); // the same message again is announced again
    const problem = await signIn(value);
    setError(problem);
    if (problem) setBusy(false);
  }

  return (
    <form className="sign-in" onSubmit={submit} noValidate aria-label={ariaLabel}>
      {intro && <p className="sign-in-intro">{intro}</p>}
      <label htmlFor={`${id}-input`}>{label}</label>
      <div className="sign-in-row">
        <input
          {...input}
          id={`${id}-input`}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <button type="submit" className={buttonClassName} disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
      <p id={`${id}-error`} className={errorClassName} role="alert">
        {error}
      </p>
    </form>
  );
}
