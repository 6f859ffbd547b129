import { withAdmin } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { saleIdParam } from '@/lib/http/params';
import { json } from '@/lib/http/respond';
import { getSaleStats } from '@/lib/sale/admin';

// GET /api/admin/sales/[saleId]/stats: the live figures the dashboard polls
export const GET = withAdmin<{ saleId: string }>(async (_req, { params }) =>
  json(await getSaleStats(saleIdParam(params.saleId))),
);

export const { HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = allMethods({ GET });
