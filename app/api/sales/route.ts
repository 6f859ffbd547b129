import { route } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { json } from '@/lib/http/respond';
import { listSales } from '@/lib/sale/catalog';

// GET /api/sales: current and upcoming sales
export const GET = route(async () => json(await listSales(), 200, { 'cache-control': 'public, max-age=1, s-maxage=1, stale-while-revalidate=5' }));

export const { HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = allMethods({ GET });
