'use client';

import { signIn } from '@/lib/client/shopper';
import { CredentialForm } from './CredentialForm';

const EMAIL = { type: 'email', name: 'email', autoComplete: 'email', inputMode: 'email', required: true } as const;

/** Sign in with an email: the contract's shopper session, no password. */
export function SignInForm({ intro, onSignedIn }: { intro: string; onSignedIn?: () => void }) {
  async function submit(email: string) {
    const problem = await signIn(email);
    if (!problem) onSignedIn?.();
    return problem;
  }
  return (
    <CredentialForm
      label="Email"
      input={EMAIL}
      signIn={submit}
      intro={intro}
      buttonClassName="button secondary"
      errorClassName="field-error"
    />
  );
}
