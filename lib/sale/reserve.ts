import { env } from '../config';
import { replicaReads, withRedis, withReplica } from '../redis/client';
import { reserveKeys, saleKeys } from '../redis/keys';
import { newOrderId } from '../ids';
import type { QueuedOrder } from '../orders/order';
import { cachedRefusalFor, rememberRefusal, type Refusal } from './refusal';

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
  IdempotencyMismatch = -7,
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
    case ReserveCode.IdempotencyMismatch:
      return { ok: false, code: 'idempotency_mismatch', firstQuantity: Number(detail) };
    default:
      throw new Error(`reserve script returned unknown code ${code}`);
  }
}

/**
 * The gate's pre-check on a replica (sale-gate-2.lua): the refusal every shopper would get
 * now, or null when the reserve script must decide (live, or not loaded on the replica yet).
 * A replica behind the primary sees fewer bookings, so it lets extra requests through, never
 * fewer; after an admin reopens or restocks a sale it may refuse for as long as it lags,
 * as the process's refusal cache does for up to a second.
 */
export async function gateRefusal(saleId: string): Promise<Refusal | null> {
  const k = saleKeys(saleId);
  const [state, unitsLeft, msUntilStart] = await withReplica((r) => r.saleGate(k.meta, k.stock));
  switch (state) {
    case 'scheduled':
      return { code: 'not_started', msUntilStart: Number(msUntilStart) >= 0 ? Number(msUntilStart) : null };
    case 'paused':
    case 'ended':
      return { code: state };
    case 'sold_out':
      return { code: 'sold_out', unitsLeft: Number(unitsLeft) };
    default:
      return null;
  }
}

// Ask a replica first only where there are replicas: on one Redis it would double the calls.
const precheck = env.REDIS_GATE_PRECHECK === 'on' || (env.REDIS_GATE_PRECHECK === 'auto' && replicaReads.replicated);

// Sales this process found open within the last second skip the pre-check: their purchases
// are the primary's to answer anyway, so on the hot path it costs one call per sale per second.
const OPEN_FOR_MS = 1_000;
const seenOpen = new Map<string, number>();
const knownOpen = (saleId: string) => (seenOpen.get(saleId) ?? 0) > performance.now();

export type ReserveRequest = {
  saleId: string;
  userId: string;
  quantity: number;
  idempotencyKey?: string;
};

/**
 * Reserve `quantity` units for a shopper in one script call on the primary: the gate, the
 * limit, the stock check, the deduction and the queueing happen in one script. With
 * replicas, a sale that refuses everyone is answered by a replica instead (gateRefusal).
 */
export async function reserveStock(req: ReserveRequest): Promise<ReserveOutcome> {
  const cached = cachedRefusalFor(req.saleId, req.idempotencyKey);
  if (cached) return { ok: false, ...cached };
  // A retry with an idempotency key must get its first answer, never a replica's refusal.
  if (!req.idempotencyKey) {
    const refusal = precheck && !knownOpen(req.saleId) ? await gateRefusal(req.saleId) : null;
    if (refusal) {
      rememberRefusal(req.saleId, refusal);
      return { ok: false, ...refusal };
    }
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
  // One request's mistake, answered before the gate: it says nothing about the sale.
  if (!outcome.ok && outcome.code === 'idempotency_mismatch') return outcome;
  if (!outcome.ok) rememberRefusal(req.saleId, outcome);
  if (outcome.ok || outcome.code === 'limit_reached' || (outcome.code === 'sold_out' && outcome.unitsLeft > 0)) {
    seenOpen.set(req.saleId, performance.now() + OPEN_FOR_MS);
  } else {
    seenOpen.delete(req.saleId);
  }
  return outcome;
}
