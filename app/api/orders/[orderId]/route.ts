import { AppError } from '@/lib/errors';
import { withShopper } from '@/lib/http/handler';
import { allMethods } from '@/lib/http/methods';
import { orderIdParam } from '@/lib/http/params';
import { json } from '@/lib/http/respond';
import { getOrderForUser } from '@/lib/orders/lookup';

// GET /api/orders/[orderId]: the shopper's own order; anyone else's is a 404
export const GET = withShopper<{ orderId: string }>(async (_req, { params, userId }) => {
  const order = await getOrderForUser(orderIdParam(params.orderId), userId);
  if (!order) throw new AppError('not_found', 'No such order');
  return json(order);
});

export const { HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = allMethods({ GET });
