import { prisma } from '@/lib/db/client';
import { newOrderId } from '@/lib/ids';
import type { RedisScope } from '@/lib/redis/connect';
import { reserveKeys, saleKeys } from '@/lib/redis/keys';
import { toReserveOutcome } from '@/lib/sale/reserve';
import type { SaleRecord } from '@/lib/sale/types';
import { sleep, storedSale, webScope } from './fixtures';

// Helpers for the worker's tests: fill a queue and watch it drain (test/services.ts takes the
// services away).

/**
 * Reserve `count` orders of one unit, one shopper each (in chunks, as a rush would arrive),
 * by the reserve script itself: the worker's tests fill queues under a prefix of their own.
 */
export async function reserveMany(saleId: string, count: number, userPrefix = 'u', scope?: RedisScope): Promise<string[]> {
  const { client, prefix } = scope ?? (await webScope());
  const keys = reserveKeys(saleKeys(saleId, prefix));
  const ids: string[] = [];
  for (let start = 0; start < count; start += 2_000) {
    const chunk = Array.from({ length: Math.min(2_000, count - start) }, (_, i) =>
      client.reserve(...keys, saleId, `${userPrefix}${start + i}`, 1, newOrderId(saleId), '').then(toReserveOutcome),
    );
    for (const outcome of await Promise.all(chunk)) {
      if (!outcome.ok) throw new Error(`reservation refused: ${outcome.code}`);
      ids.push(outcome.order.orderId);
    }
  }
  return ids;
}

export const storedIds = async (saleId: string): Promise<string[]> =>
  (await prisma.order.findMany({ where: { saleId }, select: { id: true } })).map((o) => o.id);

export const storedCount = (saleId: string): Promise<number> => prisma.order.count({ where: { saleId } });

/** Orders of the sale still in Redis: queue, each worker's processing list, dead letters. */
export async function ordersInRedis(saleId: string, scope?: RedisScope) {
  const { client: redis, prefix } = scope ?? (await webScope());
  const k = saleKeys(saleId, prefix);
  const workers = await redis.smembers(k.consumers);
  const processing = await Promise.all(workers.map((w) => redis.llen(k.processing(w))));
  return {
    queue: await redis.llen(k.queue),
    processing: processing.reduce((a, b) => a + b, 0),
    consumers: workers,
    dead: await redis.llen(k.dead),
  };
}

export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}


// Sale rows this file made, so their orders (thousands per run) do not pile up in the test database.
const rows = new Set<string>();

/** storedSale, remembered for dropSaleRows. */
export async function orderSale(overrides: Partial<SaleRecord> = {}, scope?: RedisScope): Promise<SaleRecord> {
  const sale = await storedSale(overrides, scope);
  rows.add(sale.id);
  return sale;
}

/** Delete the rows (orders, then sales) of the sales orderSale made and of any extra ids given. */
export async function dropSaleRows(...saleIds: string[]): Promise<void> {
  const ids = [...rows, ...saleIds];
  await prisma.order.deleteMany({ where: { saleId: { in: ids } } });
  await prisma.auditLog.deleteMany({ where: { saleId: { in: ids } } });
  await prisma.sale.deleteMany({ where: { id: { in: ids } } });
  rows.clear();
}
