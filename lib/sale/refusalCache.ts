import type { Refusal } from './reserve';

// A process-local memory of "this sale refuses everyone" answers, so a storm of requests
// for a sold-out or not-yet-open sale is answered without Redis. An entry lives at most
// one second, so a sale whose stock is raised (or that opens, or resumes) is refused for
// no longer than that.
const MAX_AGE_MS = 1_000;
const cache = new Map<string, { refusal: Refusal; until: number }>();

export function cachedRefusal(saleId: string): Refusal | null {
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
