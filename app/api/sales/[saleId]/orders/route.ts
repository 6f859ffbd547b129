import { env } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { readJson } from '@/lib/http/body';
import { withShopper } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { idempotencyKeyHeader, saleIdParam } from '@/lib/http/params';
import { createRateLimiter } from '@/lib/http/rateLimit';
import { json } from '@/lib/http/respond';
import { refusalError } from '@/lib/sale/refusal';
import { cachedRefusalFor, reserveStock } from '@/lib/sale/reserve';
import { purchaseInput } from '@/lib/sale/schema';

const perShopper = createRateLimiter(env.PURCHASE_RATE_PER_SECOND);

// POST /api/sales/[saleId]/orders: reserve stock (202 = reserved and queued for storage)
export const POST = withShopper<{ saleId: string }>(async (req, { params, userId }) => {
  const saleId = saleIdParam(params.saleId);
  const idempotencyKey = idempotencyKeyHeader(req.headers.get('idempotency-key'));
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

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = allMethods({ POST });
