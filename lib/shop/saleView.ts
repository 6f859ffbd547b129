import type { SaleState } from '../sale/types';

// How long after startsAt the page trusts its own (server-synced) clock over a status that
// still says "scheduled": polls and the CDN lag the opening by a second or two. Past that,
// a sale that is still scheduled is one the shop has not armed, and the page says so.
export const OPENING_GRACE_MS = 5_000;

type Timing = { state: SaleState; startsAt: string; endsAt: string | null };

/**
 * The state to show at `serverNow` (the estimated server clock): the last polled state,
 * moved on by the clock, so the button opens at zero and closes at the end without
 * waiting for the next poll. Redis has the final word on every purchase.
 */
export function displayState(sale: Timing, serverNow: number | null): SaleState {
  if (serverNow === null) return sale.state;
  const startsAt = Date.parse(sale.startsAt);
  const endsAt = sale.endsAt ? Date.parse(sale.endsAt) : null;
  const open = sale.state === 'live' || sale.state === 'scheduled';
  if (open && endsAt !== null && serverNow >= endsAt) return 'ended';
  if (sale.state === 'scheduled' && serverNow >= startsAt && serverNow < startsAt + OPENING_GRACE_MS) return 'live';
  return sale.state;
}

export const STATE_LABEL: Record<SaleState, string> = {
  scheduled: 'Coming soon',
  live: 'Live now',
  paused: 'Paused',
  sold_out: 'Sold out',
  ended: 'Ended',
};

/** What a screen reader is told when the state changes (the countdown has its own wording). */
export const STATE_ANNOUNCEMENT: Record<Exclude<SaleState, 'scheduled'>, string> = {
  live: 'The sale is open',
  paused: 'The sale is paused',
  sold_out: 'The sale is sold out',
  ended: 'The sale has ended',
};

/** The buy button's label when it cannot be used. */
export const CLOSED_BUTTON_LABEL: Record<Exclude<SaleState, 'live'>, string> = {
  scheduled: 'Not open yet',
  paused: 'Paused',
  sold_out: 'Sold out',
  ended: 'Sale ended',
};

/** Quantities a shopper may pick: up to the per-shopper limit and what is left. */
export function quantityChoices(maxPerUser: number, remaining: number | null): number[] {
  const top = Math.max(1, Math.min(maxPerUser, remaining ?? maxPerUser, 20));
  return Array.from({ length: top }, (_, i) => i + 1);
}
