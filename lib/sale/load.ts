import { env } from '../config';
import type { RedisClient } from '../redis/connect';
import { globalKeys, saleKeys } from '../redis/keys';
import type { SaleDetails, SaleRecord } from './types';

export function saleDetails(sale: SaleRecord): SaleDetails {
  return {
    name: sale.name,
    description: sale.description,
    imageUrl: sale.imageUrl,
    priceCents: sale.priceCents,
    startsAt: sale.startsAt.toISOString(),
    endsAt: sale.endsAt?.toISOString() ?? null,
    maxPerUser: sale.maxPerUser,
  };
}

/**
 * Load or refresh a sale's live copy in Redis from its PostgreSQL row. Booked is never
 * touched except to raise it to `confirmedUnits` (what PostgreSQL holds) and Total never
 * drops below Booked. A row older (by updatedAt) than the one loaded last is not applied.
 * Runs in the worker (sync) and the web process (admin changes): the caller brings the
 * connection, and a web caller forgets its process's cached refusals of the sale.
 */
export async function loadSaleIntoRedis(
  sale: SaleRecord,
  { client, prefix = env.REDIS_PREFIX, confirmedUnits = 0 }: { client: RedisClient; prefix?: string; confirmedUnits?: number },
): Promise<{ total: number; booked: number }> {
  const k = saleKeys(sale.id, prefix);
  const [total, booked] = await client.loadSale(
    k.meta,
    k.stock,
    sale.flag,
    sale.startsAt.getTime(),
    sale.endsAt?.getTime() ?? 0,
    sale.maxPerUser,
    sale.stock,
    JSON.stringify(saleDetails(sale)),
    confirmedUnits,
    sale.updatedAt?.getTime() ?? 0,
  );
  await client.sadd(globalKeys(prefix).sales, sale.id);
  return { total: Number(total), booked: Number(booked) };
}
