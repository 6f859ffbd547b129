import { readJson } from '@/lib/http/body';
import { withAdmin } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { json } from '@/lib/http/respond';
import { createSale, listSalesForAdmin } from '@/lib/sale/admin';
import { createSaleInput } from '@/lib/sale/schema';

// POST /api/admin/sales: create a sale and load it into Redis
export const POST = withAdmin(async (req, { actor }) =>
  json(await createSale(await readJson(req, createSaleInput), actor), 201),
);

// GET /api/admin/sales: every sale with its live figures
export const GET = withAdmin(async () => json(await listSalesForAdmin()));

export const { HEAD, PUT, PATCH, DELETE, OPTIONS } = allMethods({ GET, POST });
