import { prisma } from '@/lib/db/client';
import { newSaleId } from '@/lib/ids';
import { readyRedis } from '@/lib/redis/client';
import { scopeOf, type RedisScope } from '@/lib/redis/connect';
import { globalKeys, saleKeys } from '@/lib/redis/keys';
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

/**
 * Where a test's sales live: by default the web process's client and prefix (what the routes
 * read); a worker's test passes a client and a prefix of its own instead.
 */
export const webScope = async (): Promise<RedisScope> =>
  scopeOf(await readyRedis(10_000)); // a fresh process: the client may still be connecting (Sentinel, Cluster take longer)

// Sales this test file made, and where, so cleanup removes exactly their keys and leaves other runs alone.
const made = new Map<string, RedisScope>();

/** A sale in Redis only (the purchase path needs nothing else). */
export async function liveSale(overrides: Partial<SaleRecord> = {}, scope?: RedisScope): Promise<SaleRecord> {
  return loaded(saleRecord(overrides), scope);
}

/** A sale in PostgreSQL and Redis, as the admin API makes it. */
export async function storedSale(overrides: Partial<SaleRecord> = {}, scope?: RedisScope): Promise<SaleRecord> {
  return loaded(await prisma.sale.create({ data: saleRecord(overrides) }), scope);
}

async function loaded(sale: SaleRecord, scope?: RedisScope): Promise<SaleRecord> {
  const redis = scope ?? (await webScope());
  made.set(sale.id, redis);
  await loadSaleIntoRedis(sale, redis);
  return sale;
}

export async function saleFigures(saleId: string, scope?: RedisScope) {
  const { client: redis, prefix } = scope ?? (await webScope());
  const k = saleKeys(saleId, prefix);
  const [stock, queued, admitted] = await Promise.all([
    redis.hgetall(k.stock),
    redis.llen(k.queue),
    redis.hget(k.meta, 'admitted'),
  ]);
  return { total: Number(stock.Total), booked: Number(stock.Booked), queued, admitted: Number(admitted) };
}

/** Remove the Redis keys of the sales this file made (and of any extra ids given, in the web scope). */
export async function clearTestKeys(...saleIds: string[]): Promise<void> {
  for (const id of saleIds) if (!made.has(id)) made.set(id, await webScope());
  for (const [id, { client: redis, prefix }] of made) {
    const k = saleKeys(id, prefix);
    const workers = await redis.smembers(k.consumers);
    const keys = Object.values(k).filter((v): v is string => typeof v === 'string');
    await redis.unlink(...keys, ...workers.map(k.processing));
    await redis.srem(globalKeys(prefix).sales, id);
  }
  made.clear();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
