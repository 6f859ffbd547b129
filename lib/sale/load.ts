import type { Cluster, Redis } from 'ioredis';
import { redis as requestClient } from '../redis/client';
import { globalKeys, saleKeys } from '../redis/keys';
import { forgetRefusal } from './refusalCache';
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
 */
export async function loadSaleIntoRedis(
  sale: SaleRecord,
  { client = requestClient, confirmedUnits = 0 }: { client?: Redis | Cluster; confirmedUnits?: number } = {},
): Promise<{ total: number; booked: number }> {
  const k = saleKeys(sale.id);
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
  await client.sadd(globalKeys().sales, sale.id);
  forgetRefusal(sale.id);
  return { total: Number(total), booked: Number(booked) };
}
