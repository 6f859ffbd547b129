// The bench's own sales: rows in the bench database, live copies under the bench's Redis
// prefix, made the way the admin API makes them, and the figures the oversell checks read.
import { prisma } from '../../lib/db/client';
import { readyRedis, redis } from '../../lib/redis/client';
import { saleKeys } from '../../lib/redis/keys';
import { newSaleId } from '../../lib/ids';
import { loadSaleIntoRedis } from '../../lib/sale/load';
import type { SaleRecord } from '../../lib/sale/types';

type SaleOptions = Partial<Pick<SaleRecord, 'stock' | 'startsAt' | 'maxPerUser'>> & {
  /** units already booked (a sold-out sale) */
  booked?: number;
  /** only the PostgreSQL row (the naive design's sale) */
  postgresOnly?: boolean;
};

export async function createBenchSale(name: string, opts: SaleOptions = {}): Promise<SaleRecord> {
  const sale = await prisma.sale.create({
    data: {
      id: newSaleId(),
      name: `bench: ${name}`,
      priceCents: 100,
      stock: opts.stock ?? 1_000_000,
      startsAt: opts.startsAt ?? new Date(Date.now() - 60_000),
      endsAt: null,
      maxPerUser: opts.maxPerUser ?? 1,
      flag: 'armed',
    },
  });
  if (!opts.postgresOnly) await loadSaleIntoRedis(sale, { client: await readyRedis(), confirmedUnits: opts.booked ?? 0 });
  return sale;
}

/** Booked and the orders Redis holds for a sale: the reserve script writes them together. */
export async function redisFigures(saleId: string) {
  const k = saleKeys(saleId);
  const [stock, queued, orders] = await Promise.all([redis.hgetall(k.stock), redis.llen(k.queue), redis.hlen(k.orders)]);
  return { total: Number(stock.Total), booked: Number(stock.Booked), queued, orders };
}

/** The naive design's figures: units left on the row, orders and units in the orders table. */
export async function postgresFigures(saleId: string) {
  const [sale, orders] = await Promise.all([
    prisma.sale.findUniqueOrThrow({ where: { id: saleId }, select: { stock: true } }),
    prisma.order.aggregate({ where: { saleId }, _count: true, _sum: { quantity: true } }),
  ]);
  return { left: sale.stock, orders: orders._count, units: orders._sum.quantity ?? 0 };
}

/** Remove every key under the bench's prefix and every row of the bench database. */
export async function wipeBenchData(prefix: string, databaseUrl: string): Promise<void> {
  if (!/^fgbench/.test(prefix) || !/_bench$/.test(new URL(databaseUrl).pathname)) {
    throw new Error(`refusing to wipe ${prefix} / ${databaseUrl}: not the bench's own`);
  }
  await readyRedis(5_000);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  await prisma.$executeRawUnsafe('TRUNCATE orders, sales CASCADE');
}
