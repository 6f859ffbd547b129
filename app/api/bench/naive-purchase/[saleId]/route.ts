import { benchRoutesEnabled, benchRoutesOff } from '@/lib/bench/routes';
import { reserveInPostgres } from '@/lib/bench/naive';
import { AppError } from '@/lib/errors';
import { readJson } from '@/lib/http/body';
import { appRoute } from '@/lib/http/app';
import { json } from '@/lib/http/core';
import { withShopper } from '@/lib/http/handler';
import { saleIdParam } from '@/lib/http/params';
import { purchaseInput } from '@/lib/sale/schema';

// POST /api/bench/naive-purchase/[saleId]: the purchase in PostgreSQL alone, the bench's
// baseline (404 unless ENABLE_BENCH_ROUTES=1, before any session check).
const naivePurchase = withShopper<{ saleId: string }>(async (req, { params, userId }) => {
  const saleId = saleIdParam(params.saleId);
  const { quantity } = await readJson(req, purchaseInput, { emptyAllowed: true });
  const orderId = await reserveInPostgres(saleId, userId, quantity);
  if (!orderId) throw new AppError('sold_out', 'Sold out');
  return json({ orderId, saleId, quantity, status: 'confirmed' }, 202);
});

const served = appRoute({ POST: naivePurchase });
export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = served;
export const POST = benchRoutesEnabled ? served.POST : benchRoutesOff;
