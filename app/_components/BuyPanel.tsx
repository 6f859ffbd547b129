'use client';

import { useEffect, useId, useRef, useState } from 'react';
import useSWR from 'swr';
import type { OrderView } from '@/lib/orders/lookup';
import type { SaleState } from '@/lib/sale/types';
import { units } from '@/lib/shop/format';
import { describeOutcome, newIdempotencyKey, purchaseOutcome, type PurchaseOutcome } from '@/lib/shop/purchase';
import { CLOSED_BUTTON_LABEL, quantityChoices } from '@/lib/shop/saleView';
import { getJson } from './api';
import { rememberShopper, useShopperEmail } from './shopper';
import { SignInForm } from './SignInForm';

// The second click of a double click can land after a fast answer to the first: clicks this
// soon after a reservation are taken as part of it, not as a new purchase.
const AFTER_RESERVE_GUARD_MS = 1_500;

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
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<PurchaseOutcome | null>(null);
  const [reservedHere, setReservedHere] = useState(0);
  const [waitUntil, setWaitUntil] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const buyingAsRef = useRef<HTMLParagraphElement>(null);
  // One purchase attempt = one Idempotency-Key, kept until the shop reserves: a double click
  // or a retry after a network error sends the same key, so it can never reserve twice.
  const attemptKey = useRef<string | null>(null);
  const inFlight = useRef(false);
  const lastReservedAt = useRef(-Infinity);

  const rateLimited = waitUntil > 0;
  useEffect(() => {
    if (!waitUntil) return;
    const timer = setTimeout(() => setWaitUntil(0), Math.max(0, waitUntil - Date.now()));
    return () => clearTimeout(timer);
  }, [waitUntil]);

  const allowance = Math.max(0, maxPerUser - reservedHere);
  const choices = quantityChoices(allowance || 1, remaining);
  const chosen = Math.min(quantity, choices.length);

  async function buy() {
    if (inFlight.current || performance.now() - lastReservedAt.current < AFTER_RESERVE_GUARD_MS) return;
    inFlight.current = true;
    setSending(true);
    const key = (attemptKey.current ??= newIdempotencyKey());
    let result: PurchaseOutcome;
    try {
      const res = await fetch(`/api/sales/${saleId}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ quantity: chosen }),
      });
      result = purchaseOutcome(res.status, await res.json().catch(() => null), res.headers.get('retry-after'));
    } catch {
      result = { kind: 'failed' };
    }
    if (result.kind === 'reserved') {
      attemptKey.current = null;
      lastReservedAt.current = performance.now();
      setReservedHere((n) => n + result.quantity);
      setQuantity(1);
    }
    // The attempt's key already reserved (an answer lost on the way): that attempt is over, so
    // the next click is a new purchase, not another 422.
    if (result.kind === 'refused' && result.code === 'idempotency_mismatch') attemptKey.current = null;
    if (result.kind === 'rate_limited') setWaitUntil(Date.now() + result.waitSeconds * 1000);
    if (result.kind === 'signed_out') rememberShopper(null);
    setOutcome(result);
    setSending(false);
    inFlight.current = false;
    onSettled();
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

// Module-level, so its identity is stable: SWR restarts its polling timer whenever the
// option changes, and this component re-renders with every countdown tick.
const untilConfirmed = (latest: OrderView | undefined) => (latest?.status === 'confirmed' ? 0 : 1_000);

/** queued -> confirmed, polled until the worker has stored the order. */
function OrderProgress({ orderId }: { orderId: string }) {
  const { data } = useSWR<OrderView>(`/api/orders/${encodeURIComponent(orderId)}`, getJson, {
    refreshInterval: untilConfirmed,
    refreshWhenHidden: false,
  });
  const confirmed = data?.status === 'confirmed';
  return (
    <p className="order-progress" data-status={data?.status ?? 'queued'}>
      {confirmed ? 'Confirmed: your order is stored.' : 'Confirming your order…'}{' '}
      <a href="/orders">See your orders</a>
    </p>
  );
}
