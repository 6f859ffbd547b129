import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createRedis, type RedisClient } from '../redis/connect';
import { globalKeys, saleKeys } from '../redis/keys';
import { ORDER_ID } from '../sale/ids';
import type { QueuedOrder } from '../sale/reserve';

// The Redis side of the order queue: a worker takes a batch of one sale's queue into its own
// processing list (take-batch-3.lua), stores it, then drops the list (ack-batch-2.lua). What a
// dead worker held goes back to the queue (requeue-3.lua); what cannot be stored goes to the
// sale's dead letters (move-orders-2.lua). Every script is safe to run twice (ioredis resends
// unanswered commands after a reconnect).

/** `host-pid-random`: unique per process, readable in logs and key names. */
export function newWorkerId(): string {
  const host = hostname().replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 40) || 'host';
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * The worker's own connection, for the configured topology (the primary, or every master of
 * the cluster): unlike the request client it never gives up. Commands wait in the offline
 * queue while Redis is away and reconnects back off with jitter.
 */
export function createWorkerRedis(): RedisClient {
  return createRedis('worker');
}

/**
 * Every sale Redis holds (loadSaleIntoRedis adds each one): how a worker finds all queues
 * without SCAN. On a cluster the set lives on one shard; each sale's scripts then go to the
 * shard of its hash tag.
 */
export const listSaleIds = (client: RedisClient): Promise<string[]> => client.smembers(globalKeys().sales);

export async function takeBatch(client: RedisClient, saleId: string, workerId: string, count: number): Promise<string[]> {
  const k = saleKeys(saleId);
  return client.takeBatch(k.queue, k.processing(workerId), k.consumers, workerId, count);
}

export async function ackBatch(client: RedisClient, saleId: string, workerId: string): Promise<number> {
  const k = saleKeys(saleId);
  return client.ackBatch(k.processing(workerId), k.consumers, workerId);
}

/** Give a worker's orders in hand back to the sale's queue. */
export async function requeueProcessing(client: RedisClient, saleId: string, workerId: string): Promise<number> {
  const k = saleKeys(saleId);
  return client.requeue(k.processing(workerId), k.queue, k.consumers, workerId);
}

export async function deadLetter(client: RedisClient, saleId: string, workerId: string, orders: string[]): Promise<number> {
  const k = saleKeys(saleId);
  return orders.length > 0 ? client.moveOrders(k.processing(workerId), k.dead, ...orders) : 0;
}

/** Put the sale's dead letters that are well-formed orders back on its queue. */
export async function requeueDeadLetters(client: RedisClient, saleId: string): Promise<number> {
  const k = saleKeys(saleId);
  const entries = await client.lrange(k.dead, 0, -1);
  const orders = entries.filter((raw) => parseQueuedOrder(raw, saleId) !== null);
  return orders.length > 0 ? client.moveOrders(k.dead, k.queue, ...orders) : 0;
}

/**
 * Wait (up to `timeoutMs`) until `replicas` replicas hold everything this connection has
 * written to the sale's shard: the take of a batch, and so the reservations before it (one
 * replication stream, in order). Resolves with how many did, and how many orders this worker's
 * processing list holds afterwards: after a failover that lost the take, that is not the batch
 * in hand (and a WAIT resent on the new connection proved nothing). WAIT goes to the sale's
 * shard in a pipeline behind a command on its keys: on a cluster the pipeline goes where its
 * first command goes, on the connection that took the batch.
 */
export async function waitForReplicas(
  client: RedisClient,
  saleId: string,
  workerId: string,
  replicas: number,
  timeoutMs: number,
): Promise<{ acked: number; inHand: number }> {
  const k = saleKeys(saleId);
  const replies = await client.pipeline().exists(k.queue).call('WAIT', replicas, timeoutMs).llen(k.processing(workerId)).exec();
  const failed = replies?.find(([err]) => err)?.[0];
  if (!replies || failed) throw failed ?? new Error('no reply to WAIT');
  return { acked: Number(replies[1][1]), inHand: Number(replies[2][1]) };
}

const HEARTBEAT_VALUE = '1';

export async function beat(client: RedisClient, workerId: string, ttlMs: number): Promise<void> {
  await client.set(globalKeys().workerHeartbeat(workerId), HEARTBEAT_VALUE, 'PX', ttlMs);
}

export async function stopBeating(client: RedisClient, workerId: string): Promise<void> {
  await client.del(globalKeys().workerHeartbeat(workerId));
}

export type Recovered = { saleId: string; workerId: string; orders: number };

/**
 * Requeue the processing lists of workers whose heartbeat has expired. A worker that was only
 * slow (not dead) may still store its batch: the primary key makes the second insert a no-op.
 */
export async function recoverAbandoned(client: RedisClient, selfId: string, saleIds: string[]): Promise<Recovered[]> {
  const consumers = await Promise.all(saleIds.map((id) => client.smembers(saleKeys(id).consumers)));
  const others = [...new Set(consumers.flat())].filter((w) => w !== selfId);
  const alive = await Promise.all(others.map((w) => client.exists(globalKeys().workerHeartbeat(w))));
  const dead = new Set(others.filter((_, i) => alive[i] === 0));
  const found = saleIds.flatMap((saleId, i) => consumers[i].filter((w) => dead.has(w)).map((workerId) => ({ saleId, workerId })));
  const moved = await Promise.all(found.map((f) => requeueProcessing(client, f.saleId, f.workerId)));
  return found.map((f, i) => ({ ...f, orders: moved[i] }));
}

// What reserve-7.lua writes; anything else on a queue is not an order the worker can store.
const queuedOrderSchema = z.object({
  orderId: z.string().regex(ORDER_ID),
  saleId: z.string(),
  userId: z.string().min(1),
  quantity: z.number().int().positive(),
  reservedAt: z.number().int().nonnegative(),
});

/** An order as queued for `saleId`, or null when the entry is not one (malformed, another sale's). */
export function parseQueuedOrder(raw: string, saleId: string): QueuedOrder | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = queuedOrderSchema.safeParse(value);
  return parsed.success && parsed.data.saleId === saleId && parsed.data.orderId.startsWith(`${saleId}.`)
    ? parsed.data
    : null;
}
