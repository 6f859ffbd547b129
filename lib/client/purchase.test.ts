import { describe, expect, it } from 'vitest';
import { readApiError } from '@/lib/client/fetchJson';
import { describeOutcome, failureOutcome, newIdempotencyKey, reservedOutcome } from '@/lib/client/purchase';

/** The outcome of a non-2xx answer, read as the buy button reads it: through the shared error parser. */
const answered = async (status: number, body: unknown, headers: Record<string, string> = {}) =>
  failureOutcome(await readApiError(new Response(body === null ? null : JSON.stringify(body), { status, headers })));

const error = (code: string, message = '') => ({ error: { code, message } });

describe('the outcome of a purchase', () => {
  it('reads a reservation', () => {
    expect(reservedOutcome({ orderId: 's1.abc', saleId: 's1', quantity: 2, status: 'queued' })).toEqual({
      kind: 'reserved',
      orderId: 's1.abc',
      quantity: 2,
    });
  });

  it.each(['sold_out', 'limit_reached', 'not_started', 'paused', 'ended', 'not_found'])('reads the refusal %s', async (code) => {
    expect(await answered(code === 'not_found' ? 404 : 409, error(code, 'm'))).toEqual({ kind: 'refused', code, message: 'm' });
  });

  it('reads the wait of a 429', async () => {
    expect(await answered(429, error('rate_limited'), { 'retry-after': '3' })).toEqual({ kind: 'rate_limited', waitSeconds: 3 });
    expect(await answered(429, null)).toEqual({ kind: 'rate_limited', waitSeconds: 1 });
  });

  it('asks to sign in again on a 401', async () => {
    expect(await answered(401, error('unauthenticated'))).toEqual({ kind: 'signed_out' });
  });

  it('takes anything else as a failure worth retrying', async () => {
    for (const [status, body] of [
      [500, error('internal')],
      [503, error('unavailable')],
      [502, null],
      [400, error('invalid_request')],
    ] as const) {
      expect(await answered(status, body)).toEqual({ kind: 'failed' });
    }
    expect(reservedOutcome({})).toEqual({ kind: 'failed' });
    expect(reservedOutcome(null)).toEqual({ kind: 'failed' });
    expect(failureOutcome(new TypeError('Failed to fetch'))).toEqual({ kind: 'failed' });
  });
});

// A retry of a purchase that did get through, sent with another quantity (the shopper changed
// it after a network error), is answered 422: that is news to tell, not a failure to retry.
describe('an Idempotency-Key first used for another quantity', () => {
  const body = { error: { code: 'idempotency_mismatch', message: 'This Idempotency-Key was first sent for quantity 2' } };

  it('reads as a refusal, not as a failure worth retrying', async () => {
    expect(await answered(422, body)).toEqual({ kind: 'refused', code: 'idempotency_mismatch', message: body.error.message });
  });

  it('tells the shopper the earlier try went through', () => {
    const text = describeOutcome({ kind: 'refused', code: 'idempotency_mismatch', message: body.error.message });
    expect(text).toMatchObject({ tone: 'info', title: 'Already reserved' });
    expect(text.detail).toMatch(/earlier try.* went through/);
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
