import { describe, expect, it } from 'vitest';
import { describeOutcome, purchaseOutcome } from '@/lib/shop/purchase';

// A retry of a purchase that did get through, sent with another quantity (the shopper changed
// it after a network error), is answered 422: that is news to tell, not a failure to retry.
describe('an Idempotency-Key first used for another quantity', () => {
  const body = { error: { code: 'idempotency_mismatch', message: 'This Idempotency-Key was first sent for quantity 2' } };

  it('reads as a refusal, not as a failure worth retrying', () => {
    expect(purchaseOutcome(422, body, null)).toEqual({ kind: 'refused', code: 'idempotency_mismatch', message: body.error.message });
  });

  it('tells the shopper the earlier try went through', () => {
    const text = describeOutcome({ kind: 'refused', code: 'idempotency_mismatch', message: body.error.message });
    expect(text).toMatchObject({ tone: 'info', title: 'Already reserved' });
    expect(text.detail).toMatch(/earlier try.* went through/);
  });
});
