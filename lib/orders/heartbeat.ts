import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { RedisScope } from '../redis/connect';
import { globalKeys, saleKeys } from '../redis/keys';
import { listSaleIds, requeueProcessing } from './queue';

// Liveness of the workers: each keeps a heartbeat key with a TTL while it runs; the orders in
// hand of a worker whose heartbeat expired are requeued by the others (the dead-worker sweep).

/** `host-pid-random`: unique per process, readable in logs and key names. */
export function newWorkerId(): string {
  const host = hostname().replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 40) || 'host';
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

const HEARTBEAT_VALUE = '1';

export async function beat({ client, prefix }: RedisScope, workerId: string, ttlMs: number): Promise<void> {
  await client.set(globalKeys(prefix).workerHeartbeat(workerId), HEARTBEAT_VALUE, 'PX', ttlMs);
}

export async function stopBeating({ client, prefix }: RedisScope, workerId: string): Promise<void> {
  await client.del(globalKeys(prefix).workerHeartbeat(workerId));
}

export type Recovered = { saleId: string; workerId: string; orders: number };

/**
 * Requeue the processing lists of workers whose heartbeat has expired, in every sale Redis
 * holds. A worker that was only slow (not dead) may still store its batch: the primary key
 * makes the second insert a no-op.
 */
export async function recoverAbandoned(redis: RedisScope, selfId: string): Promise<Recovered[]> {
  const { client, prefix } = redis;
  const saleIds = await listSaleIds(redis);
  const consumers = await Promise.all(saleIds.map((id) => client.smembers(saleKeys(id, prefix).consumers)));
  const others = [...new Set(consumers.flat())].filter((w) => w !== selfId);
  const alive = await Promise.all(others.map((w) => client.exists(globalKeys(prefix).workerHeartbeat(w))));
  const dead = new Set(others.filter((_, i) => alive[i] === 0));
  const found = saleIds.flatMap((saleId, i) => consumers[i].filter((w) => dead.has(w)).map((workerId) => ({ saleId, workerId })));
  const moved = await Promise.all(found.map((f) => requeueProcessing(redis, f.saleId, f.workerId)));
  return found.map((f, i) => ({ ...f, orders: moved[i] }));
}
