import { useEffect, useRef, useState } from 'react';
import { failureOutcome, newIdempotencyKey, reservedOutcome, type PurchaseOutcome } from './purchase';
import { fetchJson } from './fetchJson';
import { rememberShopper } from './shopper';

// The second click of a double click can land after a fast answer to the first: clicks this
// soon after a reservation are taken as part of it, not as a new purchase.
const AFTER_RESERVE_GUARD_MS = 1_500;

/**
 * The buy button's purchases: POST /api/sales/{id}/orders, the last outcome, the units this
 * page has reserved, and the wait a 429 asked for. `onSettled` runs after every answer.
 */
export function usePurchase(saleId: string, onSettled: () => void) {
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<PurchaseOutcome | null>(null);
  const [reservedHere, setReservedHere] = useState(0);
  const [waitUntil, setWaitUntil] = useState(0);
  // One purchase attempt = one Idempotency-Key, kept until the shop reserves: a double click
  // or a retry after a network error sends the same key, so it can never reserve twice.
  const attemptKey = useRef<string | null>(null);
  const inFlight = useRef(false);
  const lastReservedAt = useRef(-Infinity);

  useEffect(() => {
    if (!waitUntil) return;
    const timer = setTimeout(() => setWaitUntil(0), Math.max(0, waitUntil - Date.now()));
    return () => clearTimeout(timer);
  }, [waitUntil]);

  /** Resolves to the outcome, or null for a click taken as part of the purchase before it. */
  async function purchase(quantity: number): Promise<PurchaseOutcome | null> {
    if (inFlight.current || performance.now() - lastReservedAt.current < AFTER_RESERVE_GUARD_MS) return null;
    inFlight.current = true;
    setSending(true);
    const key = (attemptKey.current ??= newIdempotencyKey());
    const result = await fetchJson(`/api/sales/${saleId}/orders`, {
      method: 'POST',
      headers: { 'idempotency-key': key },
      body: { quantity },
    }).then(reservedOutcome, failureOutcome);
    if (result.kind === 'reserved') {
      attemptKey.current = null;
      lastReservedAt.current = performance.now();
      setReservedHere((n) => n + result.quantity);
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
    return result;
  }

  return { purchase, sending, outcome, reservedHere, rateLimited: waitUntil > 0 };
}
