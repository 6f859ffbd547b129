'use client';

import { useId, useRef, useState } from 'react';
import { useShopperEmail } from '@/lib/client/shopper';
import { useOrder } from '@/lib/client/useOrders';
import { usePurchase } from '@/lib/client/usePurchase';
import type { SaleState } from '@/lib/sale/types';
import { units } from '@/lib/shop/format';
import { describeOutcome, type PurchaseOutcome } from '@/lib/client/purchase';
import { CLOSED_BUTTON_LABEL, quantityChoices } from '@/lib/shop/saleView';
import { SignInForm } from './SignInForm';

type Props = {
  saleId: string;
  state: SaleState | null;
  maxPerUser: number;
  remaining: number | null;
  onSettled: () => void;
};

export function BuyPanel({ saleId, state, maxPerUser, remaining, onSettled }: Props) {
  const id = useId();
  const email = useShopperEmail();
  const [quantity, setQuantity] = useState(1);
  const { purchase, sending, outcome, reservedHere, rateLimited } = usePurchase(saleId, onSettled);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const buyingAsRef = useRef<HTMLParagraphElement>(null);

  const allowance = Math.max(0, maxPerUser - reservedHere);
  const choices = quantityChoices(allowance || 1, remaining);
  const chosen = Math.min(quantity, choices.length);

  async function buy() {
    if ((await purchase(chosen))?.kind === 'reserved') setQuantity(1);
  }

  // The form that had focus is gone: focus the button, or (while it cannot be used) the line above it.
  function focusAfterSignIn() {
    if (buttonRef.current && !buttonRef.current.disabled) buttonRef.current.focus();
    else buyingAsRef.current?.focus();
  }

  const open = state === 'live';
  const limitHit = reservedHere > 0 && allowance === 0;
  const label = sending
    ? 'Reserving…'
    : !state
      ? 'Loading…'
      : !open
        ? CLOSED_BUTTON_LABEL[state]
        : limitHit
          ? 'Reserved'
          : rateLimited
            ? 'Please wait…'
            : reservedHere > 0
              ? 'Buy more'
              : 'Buy now';

  return (
    <div className="buy-panel">
      {email === null ? (
        <SignInForm intro="Sign in with your email to buy." onSignedIn={() => setTimeout(focusAfterSignIn, 0)} />
      ) : (
        <>
          {email && (
            <p className="buying-as" ref={buyingAsRef} tabIndex={-1}>
              Buying as <strong>{email}</strong>
            </p>
          )}
          <div className="buy-row">
            {maxPerUser > 1 && (
              <div className="quantity">
                <label htmlFor={`${id}-qty`}>Quantity</label>
                <select
                  id={`${id}-qty`}
                  value={chosen}
                  onChange={(e) => setQuantity(Number(e.target.value))}
                  disabled={!open || sending || limitHit}
                >
                  {choices.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <button
              ref={buttonRef}
              type="button"
              className="button primary buy-button"
              onClick={buy}
              disabled={email === undefined || !open || sending || rateLimited || limitHit}
              aria-describedby={`${id}-limit`}
            >
              {label}
            </button>
          </div>
        </>
      )}
      <p id={`${id}-limit`} className="limit-note">
        Limit {units(maxPerUser)} per shopper.
      </p>
      <div className="outcome-region" role="status" aria-live="polite" aria-atomic="true">
        {outcome && <Outcome outcome={outcome} onRetry={buy} retryDisabled={sending} />}
      </div>
    </div>
  );
}

function Outcome({ outcome, onRetry, retryDisabled }: { outcome: PurchaseOutcome; onRetry: () => void; retryDisabled: boolean }) {
  const text = describeOutcome(outcome);
  return (
    <div className={`outcome outcome-${text.tone}`} data-outcome={outcome.kind === 'refused' ? outcome.code : outcome.kind}>
      <p className="outcome-title">{text.title}</p>
      <p className="outcome-detail">{text.detail}</p>
      {outcome.kind === 'reserved' && <OrderProgress orderId={outcome.orderId} />}
      {outcome.kind === 'failed' && (
        <button type="button" className="button secondary" onClick={onRetry} disabled={retryDisabled}>
          Try again
        </button>
      )}
    </div>
  );
}

/** queued -> confirmed, polled until the worker has stored the order. */
function OrderProgress({ orderId }: { orderId: string }) {
  const { data } = useOrder(orderId);
  const confirmed = data?.status === 'confirmed';
  return (
    <p className="order-progress" data-status={data?.status ?? 'queued'}>
      {confirmed ? 'Confirmed: your order is stored.' : 'Confirming your order…'}{' '}
      <a href="/orders">See your orders</a>
    </p>
  );
}
