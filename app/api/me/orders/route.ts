import { withShopper } from '@/lib/http/handler';
import { json } from '@/lib/http/respond';
import { listOrdersOfUser } from '@/lib/orders/lookup';

// GET /api/me/orders: the shopper's orders, newest first
export const GET = withShopper(async (_req, { userId }) => json(await listOrdersOfUser(userId)));
