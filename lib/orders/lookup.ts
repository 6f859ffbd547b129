import { prisma } from '../db/client';
import { withRedis } from '../redis/client';
import { globalKeys, saleKeys } from '../redis/keys';
import { saleIdOfOrder } from '../ids';
import type { QueuedOrder } from './order';

export type OrderView = {
  orderId: string;
  saleId: string;
  quantity: number;
  status: 'queued' | 'confirmed';
  createdAt: string;
};

const queuedView = (o: QueuedOrder): OrderView => ({
  orderId: o.orderId,
  saleId: o.saleId,
  quantity: o.quantity,
  status: 'queued',
  createdAt: new Date(o.reservedAt).toISOString(),
});

const confirmedView = (o: { id: string; saleId: string; quantity: number; reservedAt: Date }): OrderView => ({
  orderId: o.id,
  saleId: o.saleId,
  quantity: o.quantity,
  status: 'confirmed',
  createdAt: o.reservedAt.toISOString(),
});

/** An order of this shopper: `confirmed` once PostgreSQL holds it, `queued` while only Redis does. */
export async function getOrderForUser(orderId: string, userId: string): Promise<OrderView | null> {
  const stored = await prisma.order.findUnique({ where: { id: orderId } });
  if (stored) return stored.userId === userId ? confirmedView(stored) : null;
  const saleId = saleIdOfOrder(orderId);
  if (!saleId) return null;
  const json = await withRedis((r) => r.hget(saleKeys(saleId).orders, orderId));
  const order = json ? (JSON.parse(json) as QueuedOrder) : null;
  return order?.userId === userId ? queuedView(order) : null;
}

const MAX_ORDERS = 100;

/** The shopper's orders, newest first: stored ones from PostgreSQL plus those still queued in Redis. */
export async function listOrdersOfUser(userId: string): Promise<OrderView[]> {
  const stored = await prisma.order.findMany({
    where: { userId },
    orderBy: { reservedAt: 'desc' },
    take: MAX_ORDERS,
  });
  const storedIds = new Set(stored.map((o) => o.id));
  const queued = await withRedis(async (r) => {
    const saleIds = await r.smembers(globalKeys().sales);
    const idLists = await Promise.all(saleIds.map((id) => r.hget(saleKeys(id).userOrders, userId)));
    const pending = idLists.flatMap((list, i) =>
      (list?.split(',') ?? []).filter((id) => !storedIds.has(id)).map((orderId) => ({ saleId: saleIds[i], orderId })),
    );
    const jsons = await Promise.all(pending.map((p) => r.hget(saleKeys(p.saleId).orders, p.orderId)));
    return jsons.flatMap((j) => (j ? [JSON.parse(j) as QueuedOrder] : []));
  });
  // An order stored between the two reads still shows, as queued: it was, a moment ago.
  return [...queued.map(queuedView), ...stored.map(confirmedView)]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, MAX_ORDERS);
}
