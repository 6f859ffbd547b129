import { AppError } from '@/lib/errors';
import { benchRoutesEnabled, benchRoutesOff } from '@/lib/bench/routes';
import { reserveInPostgres } from '@/lib/bench/naive';
import { readJson } from '@/lib/http/body';
import { withShopper } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { saleIdParam } from '@/lib/http/params';
import { json } from '@/lib/http/respond';
import { purchaseInput } from '@/lib/sale/schema';

const purchase = withShopper<{ saleId: string }>(async (req, { params, userId }) => {
  const saleId = saleIdParam(params.saleId);
  const { quantity } = await readJson(req, purchaseInput, { emptyAllowed: true });
  const orderId = await reserveInPostgres(saleId, userId, quantity);
  if (!orderId) throw new AppError('sold_out', 'Sold out');
  return json({ orderId, saleId, quantity, status: 'confirmed' }, 202);
});

// POST /api/bench/naive-purchase/[saleId]: the purchase in PostgreSQL alone, the bench's
// baseline (404 unless ENABLE_BENCH_ROUTES=1).
export const POST: typeof purchase = (req, ctx) => (benchRoutesEnabled ? purchase(req, ctx) : Promise.resolve(benchRoutesOff()));

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = allMethods({ POST });
