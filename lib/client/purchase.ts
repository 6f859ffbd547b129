// The buy button's side of POST /api/sales/{id}/orders: what an answer means for the shopper.
import { HttpError } from './fetchJson';

const REFUSALS = ['sold_out', 'limit_reached', 'not_started', 'paused', 'ended', 'not_found', 'idempotency_mismatch'] as const;

export type RefusalCode = (typeof REFUSALS)[number];

export type PurchaseOutcome =
  | { kind: 'reserved'; orderId: string; quantity: number }
  | { kind: 'refused'; code: RefusalCode; message: string }
  | { kind: 'rate_limited'; waitSeconds: number }
  | { kind: 'signed_out' }
  // The request may or may not have reached the shop: retry with the same Idempotency-Key.
  | { kind: 'failed' };

/** A 2xx answer's body: the reservation, or (not one) a failure worth retrying. */
export function reservedOutcome(body: unknown): PurchaseOutcome {
  const { orderId, quantity } = (body ?? {}) as { orderId?: unknown; quantity?: unknown };
  if (typeof orderId === 'string') return { kind: 'reserved', orderId, quantity: Number(quantity) || 1 };
  return { kind: 'failed' };
}

/** What the request threw: an HttpError is the shop's answer; anything else (no answer) is worth retrying. */
export function failureOutcome(err: unknown): PurchaseOutcome {
  if (!(err instanceof HttpError)) return { kind: 'failed' };
  if (err.status === 401) return { kind: 'signed_out' };
  if (err.status === 429) return { kind: 'rate_limited', waitSeconds: err.retryAfter ?? 1 };
  if ((REFUSALS as readonly string[]).includes(err.code)) return { kind: 'refused', code: err.code as RefusalCode, message: err.message };
  return { kind: 'failed' };
}

/** A new purchase attempt's key: random, printable, and available without a secure context. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export type OutcomeText = { tone: 'success' | 'info' | 'error'; title: string; detail: string };

const seconds = (n: number) => `${n} second${n === 1 ? '' : 's'}`;

/** What the shopper reads after pressing Buy. */
export function describeOutcome(o: PurchaseOutcome): OutcomeText {
  switch (o.kind) {
    case 'reserved':
      return {
        tone: 'success',
        title: 'Reserved!',
        detail: `${o.quantity === 1 ? 'One unit is' : `${o.quantity} units are`} yours. Order number ${o.orderId}.`,
      };
    case 'rate_limited':
      return { tone: 'info', title: 'Too many tries', detail: `Please wait ${seconds(o.waitSeconds)}, then try again.` };
    case 'signed_out':
      return { tone: 'info', title: 'Please sign in again', detail: 'Your session has expired. Sign in, then press Buy.' };
    case 'failed':
      return {
        tone: 'error',
        title: 'Something went wrong',
        detail: 'We could not reach the shop. Try again: if your first try got through, you get that same order, never a second one.',
      };
    case 'refused':
      switch (o.code) {
        case 'sold_out':
          return o.message && o.message !== 'Sold out'
            ? { tone: 'info', title: 'Not enough left', detail: `${o.message}. Choose a smaller quantity.` }
            : { tone: 'info', title: 'Sold out', detail: 'Sorry, every unit has been reserved.' };
        case 'limit_reached':
          return {
            tone: 'info',
            title: 'Limit reached',
            detail: o.message ? `${o.message}.` : 'You have reached the limit for this sale.',
          };
        case 'not_started':
          return { tone: 'info', title: 'Not open yet', detail: 'The sale has not started. Try again when the countdown reaches zero.' };
        case 'paused':
          return { tone: 'info', title: 'Sale paused', detail: 'The shop paused this sale for a moment. Try again shortly.' };
        case 'ended':
          return { tone: 'info', title: 'Sale ended', detail: 'This sale is over.' };
        case 'not_found':
          return { tone: 'error', title: 'Sale not found', detail: 'This sale does not exist any more.' };
        // The attempt's key already reserved, for the quantity chosen before a failed answer.
        case 'idempotency_mismatch':
          return {
            tone: 'info',
            title: 'Already reserved',
            detail: 'Your earlier try, for another quantity, went through: that order is yours (see your orders). Buy again to reserve more.',
          };
      }
  }
}
