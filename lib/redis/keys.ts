import { env } from '../config';

// Every Redis key of the app is built here and nowhere else.
// All keys of one sale share the hash tag `{saleId}`, so each script touches one slot
// and runs unchanged on Redis Cluster.
export type SaleKeys = ReturnType<typeof saleKeys>;

export function saleKeys(saleId: string, prefix = env.REDIS_PREFIX) {
  const base = `${prefix}:sale:{${saleId}}`;
  return {
    /** HASH flag, startsAt, endsAt (ms), maxPerUser, admitted, details (JSON for the status endpoint) */
    meta: `${base}:meta`,
    /** HASH Total, Booked (units) */
    stock: `${base}:stock`,
    /** HASH userId -> units reserved by that shopper (per-user limit) */
    buyers: `${base}:buyers`,
    /** HASH userId -> comma-separated orderIds of that shopper (queued-order lookup) */
    userOrders: `${base}:user-orders`,
    /** HASH orderId -> order JSON: the reservation's answer, kept so a resend returns it again */
    orders: `${base}:orders`,
    /** HASH `${userId}:${idempotencyKey}` -> orderId */
    idempotency: `${base}:idempotency`,
    /** LIST of order JSON waiting for the worker (LPUSH in, taken from the right) */
    queue: `${base}:queue`,
    /** LIST per worker: orders taken off the queue and not yet stored in PostgreSQL */
    processing: (workerId: string) => `${base}:processing:${workerId}`,
    /** SET of worker ids that may hold a processing list of this sale */
    consumers: `${base}:consumers`,
    /** LIST of order JSON the worker could not store (no sale row in PostgreSQL); the sync requeues them */
    dead: `${base}:dead`,
  };
}

/** The order of keys the reserve script expects (see reserve-7.lua). */
export function reserveKeys(k: SaleKeys): string[] {
  return [k.meta, k.stock, k.buyers, k.userOrders, k.orders, k.idempotency, k.queue];
}

export const globalKeys = (prefix = env.REDIS_PREFIX) => ({
  /** SET of sale ids loaded into Redis: how the worker and the shopper's order list find every sale */
  sales: `${prefix}:sales`,
  /** STRING with TTL: a live worker's heartbeat */
  workerHeartbeat: (workerId: string) => `${prefix}:worker:${workerId}:heartbeat`,
  /** STRING counter with TTL: admin sign-in attempts from one IP in the current window */
  adminSignIns: (ip: string) => `${prefix}:admin-sign-ins:${ip}`,
  // The admin sessions' keys share the hash tag {admin}: one MGET reads a session and the
  // epoch together, on Cluster too.
  /** STRING with TTL (the session's lifetime): a signed-in dashboard session, holding the epoch it began in */
  adminSession: (sessionId: string) => `${prefix}:admin-sessions:{admin}:id:${sessionId}`,
  /** STRING, random: the current admin session epoch; replacing it signs every session out */
  adminSessionEpoch: `${prefix}:admin-sessions:{admin}:epoch`,
  /** HASH page-cache tag -> {stale, expired} (ms): every revalidation, for web processes that start later */
  cacheTags: `${prefix}:cache-tags`,
  /** pub/sub channel: one message per revalidation, so every web process forgets the same pages */
  cacheTagsChannel: `${prefix}:cache-tags:revalidated`,
});
