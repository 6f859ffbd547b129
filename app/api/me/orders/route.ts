import { withShopper } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { json } from '@/lib/http/respond';
import { listOrdersOfUser } from '@/lib/orders/lookup';

// GET /api/me/orders: the shopper's orders, newest first
export const GET = withShopper(async (_req, { userId }) => json(await listOrdersOfUser(userId)));

export const { HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = allMethods({ GET });
