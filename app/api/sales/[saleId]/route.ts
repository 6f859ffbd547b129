import { AppError } from '@/lib/errors';
import { route } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { saleIdParam } from '@/lib/http/params';
import { json } from '@/lib/http/respond';
import { getSaleStatus } from '@/lib/sale/status';

// GET /api/sales/[saleId]: the sale and its live figures; every open sale page polls it,
// so a CDN may keep it for a second.
export const GET = route<{ saleId: string }>(async (_req, { params }) => {
  const status = await getSaleStatus(saleIdParam(params.saleId));
  if (!status) throw new AppError('not_found', 'No such sale');
  return json(status, 200, { 'cache-control': 'public, max-age=1, s-maxage=1, stale-while-revalidate=1' });
});

export const { HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = allMethods({ GET });
