import { replicaReads, withRedis, withReplica } from '../redis/client';
import type { RedisClient } from '../redis/connect';
import { saleKeys } from '../redis/keys';
import type { SaleDetails, SaleState, SaleStatus } from './types';

export type LiveFigures = {
  state: SaleState;
  total: number;
  booked: number;
  admitted: number;
  now: number;
  details: SaleDetails;
};

/**
 * The live figures of a sale as Redis holds them, by Redis's clock; null when not loaded.
 * `replica`: may be read from a replica, a moment behind the primary (shoppers' polling);
 * by default the primary answers, so an admin sees the change just made.
 */
export async function readLiveFigures(saleId: string, { replica = false } = {}): Promise<LiveFigures | null> {
  const k = saleKeys(saleId);
  const read = (r: RedisClient) => r.saleStatus(k.meta, k.stock);
  let reply = await (replica ? withReplica(read) : withRedis(read));
  // A sale loaded a moment ago may not have reached the replica yet: the primary has the last word.
  if (reply.length === 0 && replica && replicaReads.replicated) reply = await withRedis(read);
  if (reply.length === 0) return null;
  const [state, total, booked, now, admitted, details] = reply;
  return {
    state: state as SaleState,
    total: Number(total),
    booked: Number(booked),
    now: Number(now),
    admitted: Number(admitted),
    details: JSON.parse(String(details)) as SaleDetails,
  };
}

/** GET /api/sales/{id}: one read-only script call (on a replica when there are some), nothing from PostgreSQL. */
export async function getSaleStatus(saleId: string): Promise<SaleStatus | null> {
  const live = await readLiveFigures(saleId, { replica: true });
  if (!live) return null;
  return {
    id: saleId,
    ...live.details,
    state: live.state,
    stock: { total: live.total, remaining: Math.max(0, live.total - live.booked) },
    serverTime: new Date(live.now).toISOString(),
  };
}
