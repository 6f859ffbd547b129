import { json } from '../../http/core';
import { withAdmin } from '../../http/handler';
import { syncSalesNow } from '../../sale/admin';

/** POST /api/admin/sync: load every current sale from PostgreSQL into Redis now. */
export const syncNow = withAdmin(async () => json(await syncSalesNow()));
