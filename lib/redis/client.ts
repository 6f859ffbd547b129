import { ReplyError } from 'ioredis';
import { onProcessClose } from '../closeHooks';
import { AppError } from '../errors';
import { withTimeout } from '../timeout';
import { createReplicaReads, createRedis, type RedisClient, type ReplicaReads } from './connect';

// One client per process for the request path, built for the configured topology
// (lib/redis/connect.ts): auto-pipelining batches concurrent requests' commands into one
// write; no offline queue and short timeouts make a dead Redis a quick 503 instead of a hang.
function createRequestClient(): RedisClient {
  const client = createRedis('request');
  client.on('error', () => {}); // surfaced per request as 503 and by /api/health, not as a crash
  return client;
}

const globalForRedis = globalThis as unknown as { flashgateRedis?: RedisClient; flashgateReplicaReads?: ReplicaReads };

/** The process's request client (survives dev reloads): the primary, or the cluster's masters. */
export const redis: RedisClient = (globalForRedis.flashgateRedis ??= createRequestClient());

/** Where the gate's read-only scripts go: replicas when the topology has them (survives dev reloads). */
export const replicaReads: ReplicaReads = (globalForRedis.flashgateReplicaReads ??= createReplicaReads(redis));

onProcessClose('redis', async () => {
  try {
    await Promise.all([redis.quit(), replicaReads.close()]);
  } finally {
    redis.disconnect();
  }
});

const unavailable = () => new AppError('unavailable', 'The sale service is unavailable, try again shortly');

// Every request waiting for the connection shares one promise (and one listener).
let ready: Promise<void> | null = null;

function whenReady(): Promise<void> {
  ready ??= new Promise<void>((resolve) => {
    if (redis.status === 'wait' || redis.status === 'end') redis.connect().catch(() => {});
    redis.once('ready', () => {
      ready = null;
      resolve();
    });
  });
  return ready;
}

/** Wait briefly for the connection (a fresh process, a reconnect), then give up with a 503. */
export async function readyRedis(timeoutMs = 1_000): Promise<RedisClient> {
  if (redis.status !== 'ready') await withTimeout(whenReady(), timeoutMs, unavailable);
  return redis;
}

// Error replies that mean "not now" rather than a bug: a cluster or a failover in motion, a
// server still loading its data, a primary that became a replica, a script still running.
const OUTAGE_REPLY = /^(CLUSTERDOWN|TRYAGAIN|MOVED|ASK|LOADING|MASTERDOWN|READONLY|BUSY|NOREPLICAS)\b/;

/** Run a command against Redis; a connection failure or timeout becomes a 503. */
export async function withRedis<T>(fn: (client: RedisClient) => Promise<T>): Promise<T> {
  const client = await readyRedis();
  try {
    return await fn(client);
  } catch (err) {
    // An error reply is a bug (a script error), not an outage: let it become a 500.
    if (err instanceof AppError || (err instanceof ReplyError && !OUTAGE_REPLY.test((err as Error).message))) throw err;
    throw unavailable();
  }
}

/**
 * Run a read-only script on a replica when the topology has a healthy one (docs/topologies.md),
 * else on the primary. A replica that fails (dead, hung, cut off) costs the shopper nothing:
 * the read is asked again of the primary and the replica is skipped for a while.
 */
export async function withReplica<T>(fn: (client: RedisClient) => Promise<T>): Promise<T> {
  const replica = replicaReads.pick();
  if (replica !== redis) {
    try {
      return await fn(replica);
    } catch (err) {
      if (err instanceof TypeError || err instanceof ReferenceError) throw err; // a bug, not a replica's trouble
      replicaReads.failed(replica);
    }
  }
  return withRedis(fn);
}
