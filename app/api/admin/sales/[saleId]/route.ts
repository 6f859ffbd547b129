import { readJson } from '@/lib/http/body';
import { withAdmin } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { saleIdParam } from '@/lib/http/params';
import { json } from '@/lib/http/respond';
import { updateSale } from '@/lib/sale/admin';
import { updateSaleInput } from '@/lib/sale/schema';

// PATCH /api/admin/sales/[saleId]: edit details; stock may not drop below what is booked
export const PATCH = withAdmin<{ saleId: string }>(async (req, { params, actor }) =>
  json(await updateSale(saleIdParam(params.saleId), await readJson(req, updateSaleInput), actor)),
);

export const { GET, HEAD, POST, PUT, DELETE, OPTIONS } = allMethods({ PATCH });
