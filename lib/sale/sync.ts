import { prisma } from '../db/client';
import type { PrismaClient } from '../db/generated/client';
import { requeueDeadLetters } from '../orders/queue';
import type { RedisClient, RedisScope } from '../redis/connect';
import { saleKeys } from '../redis/keys';
import { loadSaleIntoRedis } from './load';

// Data control: PostgreSQL is the source of truth for sales, Redis holds the live copy. The
// sync loads every sale that is not long over from PostgreSQL into Redis. It runs in every
// worker on a randomised interval and on demand (POST /api/admin/sync, lib/sale/admin.ts).

// Over for more than a day (ended by its clock or by an admin): left out of Redis.
const LONG_OVER_MS = 24 * 3600_000;
// Shoppers per restore-buyers call when a sale is rebuilt.
const BUYERS_PER_CALL = 1_000;

export type SyncResult = {
  /** sales loaded or refreshed */
  sales: number;
  /** sales whose stock Redis did not hold: Booked and the buyers came back from PostgreSQL */
  rebuilt: string[];
  /** dead letters put back on their queue (their sale row exists now) */
  requeued: number;
  ms: number;
};

type SyncOptions = { db?: PrismaClient; now?: Date };

/**
 * Load every current sale into Redis. Total is never set below Booked; Booked is only raised,
 * to the units PostgreSQL has confirmed (Redis restarted from older data). For a sale Redis
 * does not hold at all the buyers hash comes back too, from the confirmed units per shopper. (Orders that were only queued when Redis lost
 * its data are lost with it: run Redis with appendonly for that.)
 */
export async function syncSales(redis: RedisScope, { db = prisma, now = new Date() }: SyncOptions = {}): Promise<SyncResult> {
  const { client, prefix } = redis;
  const started = performance.now();
  const since = new Date(now.getTime() - LONG_OVER_MS);
  const sales = await db.sale.findMany({
    where: {
      AND: [
        { OR: [{ endsAt: null }, { endsAt: { gt: since } }] },
        { OR: [{ flag: { not: 'ended' } }, { updatedAt: { gt: since } }] },
      ],
    },
  });

  const held = await Promise.all(sales.map((s) => client.exists(saleKeys(s.id, prefix).stock)));
  const rebuilt = sales.filter((_, i) => held[i] === 0).map((s) => s.id);
  const confirmed = await confirmedPerBuyer(db, rebuilt);
  for (const saleId of rebuilt) await restoreBuyers(redis, saleId, confirmed.get(saleId) ?? []);

  const units = await confirmedUnits(db, sales.map((s) => s.id));
  await Promise.all(sales.map((sale) => loadSaleIntoRedis(sale, { client, prefix, confirmedUnits: units.get(sale.id) ?? 0 })));
  const requeued = await Promise.all(sales.map((s) => requeueDeadLetters(redis, s.id)));
  return {
    sales: sales.length,
    rebuilt,
    requeued: requeued.reduce((a, b) => a + b, 0),
    ms: Math.round(performance.now() - started),
  };
}

type BuyerUnits = { userId: string; units: number };

async function confirmedUnits(db: PrismaClient, saleIds: string[]): Promise<Map<string, number>> {
  if (saleIds.length === 0) return new Map();
  const rows = await db.order.groupBy({ by: ['saleId'], where: { saleId: { in: saleIds } }, _sum: { quantity: true } });
  return new Map(rows.map((r) => [r.saleId, r._sum.quantity ?? 0]));
}

async function confirmedPerBuyer(db: PrismaClient, saleIds: string[]): Promise<Map<string, BuyerUnits[]>> {
  const bySale = new Map<string, BuyerUnits[]>();
  if (saleIds.length === 0) return bySale;
  const rows = await db.order.groupBy({
    by: ['saleId', 'userId'],
    where: { saleId: { in: saleIds } },
    _sum: { quantity: true },
  });
  for (const row of rows) {
    const list = bySale.get(row.saleId) ?? [];
    list.push({ userId: row.userId, units: row._sum.quantity ?? 0 });
    bySale.set(row.saleId, list);
  }
  return bySale;
}

async function restoreBuyers({ client, prefix }: RedisScope, saleId: string, buyers: BuyerUnits[]): Promise<void> {
  const k = saleKeys(saleId, prefix);
  for (let i = 0; i < buyers.length; i += BUYERS_PER_CALL) {
    const pairs = buyers.slice(i, i + BUYERS_PER_CALL).flatMap((b) => [b.userId, b.units]);
    await client.restoreBuyers(k.stock, k.buyers, ...pairs);
  }
}
