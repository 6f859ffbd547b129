import { prisma } from '@/lib/db/client';
import { readyRedis, redis } from '@/lib/redis/client';
import { globalKeys, saleKeys } from '@/lib/redis/keys';
import { newSaleId } from '@/lib/sale/ids';
import { loadSaleIntoRedis } from '@/lib/sale/load';
import type { SaleRecord } from '@/lib/sale/types';

export function saleRecord(overrides: Partial<SaleRecord> = {}): SaleRecord {
  return {
    id: newSaleId(),
    name: 'Test sale',
    description: '',
    imageUrl: '',
    priceCents: 1999,
    stock: 100,
    startsAt: new Date(Date.now() - 60_000),
    endsAt: null,
    maxPerUser: 1,
    flag: 'armed',
    ...overrides,
  };
}

// Sales this test file made, so cleanup removes exactly their keys and leaves other runs alone.
const made = new Set<string>();

/** A sale in Redis only (the purchase path needs nothing else). */
export async function liveSale(overrides: Partial<SaleRecord> = {}): Promise<SaleRecord> {
  const sale = saleRecord(overrides);
  made.add(sale.id);
  await readyRedis(10_000); // a fresh process: the client may still be connecting (Sentinel, Cluster take longer)
  await loadSaleIntoRedis(sale);
  return sale;
}

/** A sale in PostgreSQL and Redis, as the admin API makes it. */
export async function storedSale(overrides: Partial<SaleRecord> = {}): Promise<SaleRecord> {
  const sale = await prisma.sale.create({ data: saleRecord(overrides) });
  made.add(sale.id);
  await readyRedis(10_000);
  await loadSaleIntoRedis(sale);
  return sale;
}

export async function saleFigures(saleId: string) {
  const k = saleKeys(saleId);
  const [stock, queued, admitted] = await Promise.all([
    redis.hgetall(k.stock),
    redis.llen(k.queue),
    redis.hget(k.meta, 'admitted'),
  ]);
  return { total: Number(stock.Total), booked: Number(stock.Booked), queued, admitted: Number(admitted) };
}

/** Remove the Redis keys of the sales this file made (and of any extra ids given). */
export async function clearTestKeys(...saleIds: string[]): Promise<void> {
  const ids = [...made, ...saleIds];
  for (const id of ids) {
    const k = saleKeys(id);
    const workers = await redis.smembers(k.consumers);
    const keys = Object.values(k).filter((v): v is string => typeof v === 'string');
    await redis.unlink(...keys, ...workers.map(k.processing));
    await redis.srem(globalKeys().sales, id);
  }
  made.clear();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
