import { describe, expect, it } from 'vitest';
import { describeOutcome, newIdempotencyKey, purchaseOutcome } from '@/lib/shop/purchase';
import { displayState, OPENING_GRACE_MS, quantityChoices } from '@/lib/shop/saleView';

const error = (code: string, message = '') => ({ error: { code, message } });

describe('purchaseOutcome', () => {
  it('reads a reservation', () => {
    expect(purchaseOutcome(202, { orderId: 's1.abc', saleId: 's1', quantity: 2, status: 'queued' }, null)).toEqual({
      kind: 'reserved',
      orderId: 's1.abc',
      quantity: 2,
    });
  });

  it.each(['sold_out', 'limit_reached', 'not_started', 'paused', 'ended', 'not_found'])('reads the refusal %s', (code) => {
    expect(purchaseOutcome(code === 'not_found' ? 404 : 409, error(code, 'm'), null)).toEqual({ kind: 'refused', code, message: 'm' });
  });

  it('reads the wait of a 429', () => {
    expect(purchaseOutcome(429, error('rate_limited'), '3')).toEqual({ kind: 'rate_limited', waitSeconds: 3 });
    expect(purchaseOutcome(429, null, null)).toEqual({ kind: 'rate_limited', waitSeconds: 1 });
  });

  it('asks to sign in again on a 401', () => {
    expect(purchaseOutcome(401, error('unauthenticated'), null)).toEqual({ kind: 'signed_out' });
  });

  it('takes anything else as a failure worth retrying', () => {
    for (const [status, body] of [
      [500, error('internal')],
      [503, error('unavailable')],
      [502, null],
      [202, {}],
      [400, error('invalid_request')],
    ] as const) {
      expect(purchaseOutcome(status, body, null)).toEqual({ kind: 'failed' });
    }
  });
});

describe('describeOutcome', () => {
  it('names the order of a reservation', () => {
    const text = describeOutcome({ kind: 'reserved', orderId: 's1.abc', quantity: 1 });
    expect(text).toMatchObject({ tone: 'success', title: 'Reserved!' });
    expect(text.detail).toContain('s1.abc');
  });

  it('tells sold out from too few left', () => {
    expect(describeOutcome({ kind: 'refused', code: 'sold_out', message: 'Sold out' }).title).toBe('Sold out');
    expect(describeOutcome({ kind: 'refused', code: 'sold_out', message: 'Only 2 left, fewer than you asked for' })).toMatchObject({
      title: 'Not enough left',
      detail: 'Only 2 left, fewer than you asked for. Choose a smaller quantity.',
    });
  });

  it('gives the wait and a retry in plain words', () => {
    expect(describeOutcome({ kind: 'rate_limited', waitSeconds: 2 }).detail).toBe('Please wait 2 seconds, then try again.');
    expect(describeOutcome({ kind: 'failed' }).title).toBe('Something went wrong');
  });
});

describe('newIdempotencyKey', () => {
  it('is random printable ASCII the API accepts', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});

describe('displayState', () => {
  const startsAt = '2030-01-01T12:00:00.000Z';
  const t = Date.parse(startsAt);
  const sale = { state: 'scheduled' as const, startsAt, endsAt: '2030-01-01T13:00:00.000Z' };

  it('opens at zero by the server clock, before the next poll says so', () => {
    expect(displayState(sale, t - 1)).toBe('scheduled');
    expect(displayState(sale, t)).toBe('live');
  });

  it('trusts the server again when a sale stays scheduled past the grace', () => {
    expect(displayState(sale, t + OPENING_GRACE_MS)).toBe('scheduled');
  });

  it('closes at the end', () => {
    expect(displayState({ ...sale, state: 'live' }, Date.parse(sale.endsAt))).toBe('ended');
  });

  it('keeps what only the server knows', () => {
    for (const state of ['sold_out', 'paused', 'ended'] as const) expect(displayState({ ...sale, state }, t + 1)).toBe(state);
    expect(displayState(sale, null)).toBe('scheduled');
  });
});

describe('quantityChoices', () => {
  it('stays within the limit and what is left, and offers at least one', () => {
    expect(quantityChoices(3, 10)).toEqual([1, 2, 3]);
    expect(quantityChoices(5, 2)).toEqual([1, 2]);
    expect(quantityChoices(5, null)).toEqual([1, 2, 3, 4, 5]);
    expect(quantityChoices(2, 0)).toEqual([1]);
  });
});
