import { AppError } from '../errors';

// A refused reservation: what reserve-7.lua (or the gate's pre-check) answered, the
// process's memory of answers that hold for everyone, and the HTTP error a shopper sees.

export type Refusal =
  | { code: 'not_found' | 'paused' | 'ended' }
  | { code: 'not_started'; msUntilStart: number | null }
  | { code: 'sold_out'; unitsLeft: number }
  | { code: 'limit_reached'; unitsAllowed: number }
  // The idempotency key's first purchase asked for `firstQuantity` units: this is not its retry.
  | { code: 'idempotency_mismatch'; firstQuantity: number };

/** A refused reservation as the client sees it: a 404/409/422 with a message a shopper understands. */
export function refusalError(r: Refusal): AppError {
  switch (r.code) {
    case 'not_found':
      return new AppError('not_found', 'No such sale');
    case 'not_started':
      return new AppError('not_started', 'The sale has not started yet');
    case 'paused':
      return new AppError('paused', 'The sale is paused, try again shortly');
    case 'ended':
      return new AppError('ended', 'The sale has ended');
    case 'sold_out':
      return new AppError(
        'sold_out',
        r.unitsLeft > 0 ? `Only ${r.unitsLeft} left, fewer than you asked for` : 'Sold out',
      );
    case 'limit_reached':
      return new AppError(
        'limit_reached',
        r.unitsAllowed > 0 ? `You may buy only ${r.unitsAllowed} more` : 'You have reached the limit for this sale',
      );
    case 'idempotency_mismatch':
      return new AppError(
        'idempotency_mismatch',
        `This Idempotency-Key was first sent with quantity ${r.firstQuantity}: resend that quantity for its answer, or use a new key`,
      );
  }
}

// A process-local memory of "this sale refuses everyone" answers, so a storm of requests
// for a sold-out or not-yet-open sale is answered without Redis. An entry lives at most
// one second, so a sale whose stock is raised (or that opens, or resumes) is refused for
// no longer than that.
const MAX_AGE_MS = 1_000;
const cache = new Map<string, { refusal: Refusal; until: number }>();

function cachedRefusal(saleId: string): Refusal | null {
  const entry = cache.get(saleId);
  if (!entry) return null;
  if (performance.now() < entry.until) return entry.refusal;
  cache.delete(saleId);
  return null;
}

export function rememberRefusal(saleId: string, refusal: Refusal): void {
  let ttl: number;
  switch (refusal.code) {
    case 'sold_out':
      // Only "nothing left" is everyone's answer; "too few for this quantity" is not.
      if (refusal.unitsLeft > 0) return;
      ttl = MAX_AGE_MS;
      break;
    case 'not_started':
      // Never past the opening moment as Redis announced it.
      ttl = refusal.msUntilStart === null ? MAX_AGE_MS : Math.min(MAX_AGE_MS, refusal.msUntilStart - 20);
      break;
    case 'paused':
    case 'ended':
    case 'not_found':
      ttl = MAX_AGE_MS;
      break;
    default:
      return; // limit_reached and idempotency_mismatch are one shopper's answer
  }
  if (ttl > 0) cache.set(saleId, { refusal, until: performance.now() + ttl });
}

/** Forget cached refusals of a sale (an admin changed it in this process). */
export function forgetRefusal(saleId: string): void {
  cache.delete(saleId);
}

/** Forget every cached refusal (this process reloaded every sale). */
export function forgetRefusals(): void {
  cache.clear();
}

/**
 * This process's remembered "refuses everyone" answer for the sale, where it
 * may answer this purchase without Redis. A retry with an idempotency key must get its first
 * answer, never a cached refusal; except before the opening, when no key can have a first
 * answer yet. (The shop sends a key with every purchase, so this keeps the pre-opening storm
 * off Redis.) The purchase route asks before reading the body: the storm's cheapest answer.
 */
export function cachedRefusalFor(saleId: string, idempotencyKey?: string): Refusal | null {
  const cached = cachedRefusal(saleId);
  return cached && (!idempotencyKey || cached.code === 'not_started') ? cached : null;
}
