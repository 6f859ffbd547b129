import { AppError } from '../../errors';
import { json, type Endpoint } from '../../http/core';
import { saleIdParam } from '../../http/params';
import { getSaleStatus } from '../../sale/status';

/**
 * GET /api/sales/{saleId}: the sale and its live figures; every open sale page polls it, so
 * a CDN may keep it for a second. A file of its own: the hot route's bundle carries Redis
 * only, not the catalog's PostgreSQL client.
 */
export const saleStatus: Endpoint<{ saleId: string }> = async (_req, { params }) => {
  const status = await getSaleStatus(saleIdParam(params.saleId));
  if (!status) throw new AppError('not_found', 'No such sale');
  return json(status, 200, { 'cache-control': 'public, max-age=1, s-maxage=1, stale-while-revalidate=1' });
};
