import { Redis, ReplyError } from 'ioredis';
import { env } from '../config';
import { AppError } from '../errors';
import { withTimeout } from '../timeout';
import { defineScripts } from './scripts';

// One client per process for the request path: auto-pipelining batches concurrent
// requests' commands into one write; no offline queue and short timeouts make a dead
// Redis a quick 503 instead of a hang.
function createRequestClient(): Redis {
  const client = new Redis(env.REDIS_URL, {
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000) + Math.floor(Math.random() * 100),
  });
  client.on('error', () => {}); // surfaced per request as 503 and by /api/health, not as a crash
  defineScripts(client);
  return client;
}

const globalForRedis = globalThis as unknown as { flashgateRedis?: Redis };

/** The process's request client (survives dev reloads). */
export const redis: Redis = (globalForRedis.flashgateRedis ??= createRequestClient());

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
export async function readyRedis(timeoutMs = 1_000): Promise<Redis> {
  if (redis.status !== 'ready') await withTimeout(whenReady(), timeoutMs, unavailable);
  return redis;
}

/** Run a command against Redis; a connection failure or timeout becomes a 503. */
export async function withRedis<T>(fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = await readyRedis();
  try {
    return await fn(client);
  } catch (err) {
    // An error reply is a bug (a script error), not an outage: let it become a 500.
    if (err instanceof AppError || err instanceof ReplyError) throw err;
    throw unavailable();
  }
}
