import { withAdmin } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { json } from '@/lib/http/respond';
import { syncSalesNow } from '@/lib/sale/sync';

// POST /api/admin/sync: load every current sale from PostgreSQL into Redis now
export const POST = withAdmin(async () => json(await syncSalesNow()));

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = allMethods({ POST });
