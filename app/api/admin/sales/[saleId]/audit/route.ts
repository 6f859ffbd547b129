import { withAdmin } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { saleIdParam } from '@/lib/http/params';
import { json } from '@/lib/http/respond';
import { getSaleAudit } from '@/lib/sale/admin';

// GET /api/admin/sales/[saleId]/audit: the sale's admin actions, newest first
export const GET = withAdmin<{ saleId: string }>(async (_req, { params }) =>
  json(await getSaleAudit(saleIdParam(params.saleId))),
);

export const { HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = allMethods({ GET });
