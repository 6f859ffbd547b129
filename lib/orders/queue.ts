import { createRedis, type RedisClient, type RedisScope } from '../redis/connect';
import { globalKeys, saleKeys } from '../redis/keys';
import { parseQueuedOrder } from './order';

// The Redis side of the order queue: a worker takes a batch of one sale's queue into its own
// processing list (take-batch-3.lua), stores it, then drops the list (ack-batch-2.lua). What a
// dead worker held goes back to the queue (requeue-3.lua); what cannot be stored goes to the
// sale's dead letters (move-orders-2.lua). Every script is safe to run twice (ioredis resends
// unanswered commands after a reconnect).

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
export const listSaleIds = ({ client, prefix }: RedisScope): Promise<string[]> => client.smembers(globalKeys(prefix).sales);

export async function takeBatch({ client, prefix }: RedisScope, saleId: string, workerId: string, count: number): Promise<string[]> {
  const k = saleKeys(saleId, prefix);
  return client.takeBatch(k.queue, k.processing(workerId), k.consumers, workerId, count);
}

export async function ackBatch({ client, prefix }: RedisScope, saleId: string, workerId: string): Promise<number> {
  const k = saleKeys(saleId, prefix);
  return client.ackBatch(k.processing(workerId), k.consumers, workerId);
}

/** Give a worker's orders in hand back to the sale's queue. */
export async function requeueProcessing({ client, prefix }: RedisScope, saleId: string, workerId: string): Promise<number> {
  const k = saleKeys(saleId, prefix);
  return client.requeue(k.processing(workerId), k.queue, k.consumers, workerId);
}

export async function deadLetter({ client, prefix }: RedisScope, saleId: string, workerId: string, orders: string[]): Promise<number> {
  const k = saleKeys(saleId, prefix);
  return orders.length > 0 ? client.moveOrders(k.processing(workerId), k.dead, ...orders) : 0;
}

/** Put the sale's dead letters that are well-formed orders back on its queue. */
export async function requeueDeadLetters({ client, prefix }: RedisScope, saleId: string): Promise<number> {
  const k = saleKeys(saleId, prefix);
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
  { client, prefix }: RedisScope,
  saleId: string,
  workerId: string,
  replicas: number,
  timeoutMs: number,
): Promise<{ acked: number; inHand: number }> {
  const k = saleKeys(saleId, prefix);
  const replies = await client.pipeline().exists(k.queue).call('WAIT', replicas, timeoutMs).llen(k.processing(workerId)).exec();
  const failed = replies?.find(([err]) => err)?.[0];
  if (!replies || failed) throw failed ?? new Error('no reply to WAIT');
  return { acked: Number(replies[1][1]), inHand: Number(replies[2][1]) };
}
