import { env } from '../../config';
import { AppError } from '../../errors';
import { readJson } from '../../http/body';
import { json } from '../../http/core';
import { withShopper } from '../../http/handler';
import { idempotencyKeyHeader, saleIdParam } from '../../http/params';
import { createRateLimiter } from '../../http/rateLimit';
import { cachedRefusalFor, refusalError } from '../../sale/refusal';
import { reserveStock } from '../../sale/reserve';
import { purchaseInput } from '../../sale/schema';

const perShopper = createRateLimiter(env.PURCHASE_RATE_PER_SECOND);

/** POST /api/sales/{saleId}/orders: reserve stock (202 = reserved and queued for storage). */
export const purchase = withShopper<{ saleId: string }>(async (req, { params, userId }) => {
  const saleId = saleIdParam(params.saleId);
  const idempotencyKey = idempotencyKeyHeader(req.header('idempotency-key'));
  // A sale this process knows refuses everyone answers before the body is read (~100 µs).
  const refusal = cachedRefusalFor(saleId, idempotencyKey);
  if (refusal) throw refusalError(refusal);
  const { quantity } = await readJson(req, purchaseInput, { emptyAllowed: true });
  const wait = perShopper.take(userId);
  if (wait > 0) throw new AppError('rate_limited', 'Too many attempts, slow down', { 'retry-after': String(wait) });
  const outcome = await reserveStock({ saleId, userId, quantity, idempotencyKey });
  if (!outcome.ok) throw refusalError(outcome);
  const { order } = outcome;
  return json({ orderId: order.orderId, saleId: order.saleId, quantity: order.quantity, status: 'queued' }, 202);
});
