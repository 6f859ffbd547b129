import { withRedis } from '../redis/client';
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

/** The live figures of a sale as Redis holds them, by Redis's clock; null when not loaded. */
export async function readLiveFigures(saleId: string): Promise<LiveFigures | null> {
  const k = saleKeys(saleId);
  const reply = await withRedis((r) => r.saleStatus(k.meta, k.stock));
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

/** GET /api/sales/{id}: one read-only script call, nothing from PostgreSQL. */
export async function getSaleStatus(saleId: string): Promise<SaleStatus | null> {
  const live = await readLiveFigures(saleId);
  if (!live) return null;
  return {
    id: saleId,
    ...live.details,
    state: live.state,
    stock: { total: live.total, remaining: Math.max(0, live.total - live.booked) },
    serverTime: new Date(live.now).toISOString(),
  };
}
