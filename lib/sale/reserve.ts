import { withRedis } from '../redis/client';
import { reserveKeys, saleKeys } from '../redis/keys';
import { newOrderId } from './ids';
import { cachedRefusal, rememberRefusal } from './refusalCache';

export type QueuedOrder = {
  orderId: string;
  saleId: string;
  userId: string;
  quantity: number;
  reservedAt: number;
};

export type Refusal =
  | { code: 'not_found' | 'paused' | 'ended' }
  | { code: 'not_started'; msUntilStart: number | null }
  | { code: 'sold_out'; unitsLeft: number }
  | { code: 'limit_reached'; unitsAllowed: number };

export type ReserveOutcome = { ok: true; order: QueuedOrder; replay: boolean } | ({ ok: false } & Refusal);

// Mirrors the return codes of reserve-7.lua.
export enum ReserveCode {
  Reserved = 1,
  Replay = 2,
  NotFound = -1,
  NotStarted = -2,
  Paused = -3,
  Ended = -4,
  SoldOut = -5,
  LimitReached = -6,
}

export function toReserveOutcome([code, detail]: (string | number)[]): ReserveOutcome {
  switch (Number(code) as ReserveCode) {
    case ReserveCode.Reserved:
    case ReserveCode.Replay:
      return { ok: true, order: JSON.parse(String(detail)) as QueuedOrder, replay: Number(code) === ReserveCode.Replay };
    case ReserveCode.NotFound:
      return { ok: false, code: 'not_found' };
    case ReserveCode.NotStarted:
      return { ok: false, code: 'not_started', msUntilStart: Number(detail) >= 0 ? Number(detail) : null };
    case ReserveCode.Paused:
      return { ok: false, code: 'paused' };
    case ReserveCode.Ended:
      return { ok: false, code: 'ended' };
    case ReserveCode.SoldOut:
      return { ok: false, code: 'sold_out', unitsLeft: Number(detail) };
    case ReserveCode.LimitReached:
      return { ok: false, code: 'limit_reached', unitsAllowed: Math.max(0, Number(detail)) };
    default:
      throw new Error(`reserve script returned unknown code ${code}`);
  }
}

export type ReserveRequest = {
  saleId: string;
  userId: string;
  quantity: number;
  idempotencyKey?: string;
};

/**
 * Reserve `quantity` units for a shopper in one Redis round trip: the gate, the limit,
 * the stock check, the deduction and the queueing happen in one script.
 */
export async function reserveStock(req: ReserveRequest): Promise<ReserveOutcome> {
  // A retry with an idempotency key must get its first answer, never a cached refusal.
  if (!req.idempotencyKey) {
    const refusal = cachedRefusal(req.saleId);
    if (refusal) return { ok: false, ...refusal };
  }
  const orderId = newOrderId(req.saleId);
  const reply = await withRedis((r) =>
    r.reserve(
      ...reserveKeys(saleKeys(req.saleId)),
      req.saleId,
      req.userId,
      req.quantity,
      orderId,
      req.idempotencyKey ?? '',
    ),
  );
  const outcome = toReserveOutcome(reply);
  if (!outcome.ok) rememberRefusal(req.saleId, outcome);
  return outcome;
}
