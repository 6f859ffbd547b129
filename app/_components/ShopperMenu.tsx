'use client';

import { signOut, useShopperEmail } from '@/lib/client/shopper';

/** The header's corner: who is signed in, and a way out. */
export function ShopperMenu() {
  const email = useShopperEmail();
  if (!email) return null;
  return (
    <div className="shopper-menu">
      <span className="shopper-email" title={email}>
        {email}
      </span>
      <button type="button" className="link-button" onClick={() => signOut()}>
        Sign out
      </button>
    </div>
  );
}
