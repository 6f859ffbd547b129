import { describe, expect, it } from 'vitest';
import { displayState, OPENING_GRACE_MS, quantityChoices } from '@/lib/shop/saleView';

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
