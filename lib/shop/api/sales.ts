import { json, type Endpoint } from '../../http/core';
import { listSales } from '../../sale/catalog';

/** GET /api/sales: current and upcoming sales. */
export const saleList: Endpoint = async () =>
  json(await listSales(), 200, { 'cache-control': 'public, max-age=1, s-maxage=1, stale-while-revalidate=5' });
