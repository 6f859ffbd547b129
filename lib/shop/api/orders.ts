import { AppError } from '../../errors';
import { json } from '../../http/core';
import { withShopper } from '../../http/handler';
import { orderIdParam } from '../../http/params';
import { getOrderForUser, listOrdersOfUser } from '../../orders/lookup';

/** GET /api/orders/{orderId}: the shopper's own order; anyone else's is a 404. */
export const shopperOrder = withShopper<{ orderId: string }>(async (_req, { params, userId }) => {
  const order = await getOrderForUser(orderIdParam(params.orderId), userId);
  if (!order) throw new AppError('not_found', 'No such order');
  return json(order);
});

/** GET /api/me/orders: the shopper's orders, newest first. */
export const shopperOrders = withShopper(async (_req, { userId }) => json(await listOrdersOfUser(userId)));
