import { prisma } from '../db/client';
import type { PrismaClient } from '../db/generated/client';
import { env } from '../config';
import { parseQueuedOrder } from '../orders/order';
import { listSaleIds } from '../orders/queue';
import { scopeOf, type RedisClient } from '../redis/connect';
import { saleKeys } from '../redis/keys';

// Reconciliation: every unit Redis has booked is either confirmed in PostgreSQL or still an
// order in Redis (queued, in a worker's hands, or a dead letter). Anything else is a difference.

export type Reconciliation = {
  saleId: string;
  /** units, as Redis counts them */
  booked: number;
  /** units PostgreSQL holds (orders reserved up to the snapshot) */
  confirmed: number;
  /** units only Redis holds; null when too many orders wait to count them (see maxOrders) */
  pending: number | null;
  /** orders waiting for a worker (queue) and in workers' hands (processing lists) */
  queued: number;
  /** orders that could not be stored (no sale row); counted in pending */
  deadLetters: number;
  /** booked - confirmed - pending: 0 when Redis and PostgreSQL agree; null with pending */
  difference: number | null;
};

type ReconcileOptions = {
  client: RedisClient;
  prefix?: string;
  db?: PrismaClient;
  /** count pending units only up to this many orders in Redis (-1: always, however many) */
  maxOrders?: number;
};

/**
 * One sale, from one atomic Redis snapshot (Booked, its clock, every order it still holds)
 * and then PostgreSQL: confirmed counts only orders reserved by the snapshot's time, and an
 * order a worker stored after the snapshot counts as confirmed, not pending, so a drain
 * running meanwhile does not show as a difference. Null when Redis does not hold the sale.
 */
export async function reconcileSale(
  saleId: string,
  { client, prefix = env.REDIS_PREFIX, db = prisma, maxOrders = -1 }: ReconcileOptions,
): Promise<Reconciliation | null> {
  const k = saleKeys(saleId, prefix);
  const reply = await client.pendingOrders(k.stock, k.queue, k.consumers, k.dead, k.processing(''), maxOrders);
  const [now, booked, queued, processing, dead] = reply.slice(0, 5).map(Number);
  if (booked < 0) return null;
  const listed = reply.length > 5 || queued + processing + dead === 0;
  const orders = new Map<string, number>();
  for (const raw of reply.slice(5)) {
    const order = parseQueuedOrder(String(raw), saleId); // a malformed dead letter has no units to count
    if (order) orders.set(order.orderId, order.quantity);
  }
  const [confirmed, stored] = await Promise.all([
    db.order.aggregate({ where: { saleId, reservedAt: { lte: new Date(now) } }, _sum: { quantity: true } }),
    orders.size > 0
      ? db.$queryRaw<{ id: string }[]>`SELECT id FROM orders WHERE id = ANY(${[...orders.keys()]}::text[])`
      : Promise.resolve([]),
  ]);
  for (const { id } of stored) orders.delete(id);
  const confirmedUnits = confirmed._sum.quantity ?? 0;
  const pending = listed ? [...orders.values()].reduce((a, b) => a + b, 0) : null;
  return {
    saleId,
    booked,
    confirmed: confirmedUnits,
    pending,
    queued: queued + processing,
    deadLetters: dead,
    difference: pending === null ? null : booked - confirmedUnits - pending,
  };
}

/** Every sale Redis holds (or the ones named), in turn. `npm run reconcile` prints this. */
export async function reconcileSales(
  options: Omit<ReconcileOptions, 'maxOrders'> & { saleIds?: string[] },
): Promise<Reconciliation[]> {
  const saleIds = options.saleIds ?? (await listSaleIds(scopeOf(options.client, options.prefix))).sort();
  const results: Reconciliation[] = [];
  for (const saleId of saleIds) {
    const r = await reconcileSale(saleId, options);
    if (r) results.push(r);
  }
  return results;
}
