import { createChores, type Chores } from '../lib/chores';
import { env } from '../lib/config';
import { prisma } from '../lib/db/client';
import type { PrismaClient } from '../lib/db/generated/client';
import { errorText, jsonLogger, type Logger } from '../lib/log';
import { drainBatchSize, drainOrders, type Drain, type DrainCounters, type DrainOptions } from '../lib/orders/drain';
import { beat, newWorkerId, recoverAbandoned, stopBeating } from '../lib/orders/heartbeat';
import { createWorkerRedis } from '../lib/orders/queue';
import type { RedisClient, RedisScope } from '../lib/redis/connect';
import { syncSales } from '../lib/sale/sync';
import { jitter, withTimeout } from '../lib/timeout';

// One order worker: the drain, plus its chores (heartbeat, dead-worker sweep, sale sync) on
// one connection of its own. worker/index.ts runs one per process; tests run several side by
// side, each on a client and a key prefix they pass in. It imports nothing of the web process.

type DrainTuning = Pick<DrainOptions, 'batchSize' | 'batchDelayMs' | 'retryMaxMs' | 'waitReplicas'>;

export type OrderWorkerOptions = DrainTuning & {
  workerId?: string;
  /** the worker's own connection; by default one is made (and closed with the worker) */
  redis?: RedisClient;
  /** the key prefix to work under (default REDIS_PREFIX) */
  prefix?: string;
  db?: PrismaClient;
  /** heartbeat TTL: silence this long and other workers requeue this one's orders */
  heartbeatMs?: number;
  /** periodic syncSales (randomised +-25%); 0: never */
  syncIntervalMs?: number;
  log?: Logger;
};

export type WorkerCounters = DrainCounters & { recovered: number };

export type OrderWorker = {
  readonly workerId: string;
  readonly counters: Readonly<WorkerCounters>;
  /** resolves when the worker has stopped: after close(), or after a failure to start */
  readonly closed: Promise<void>;
  /** why the worker stopped by itself (null: it did not, or close() stopped it) */
  readonly failure: string | null;
  /** Finish the batch in hand, then stop. Safe to call more than once. */
  close(): Promise<void>;
};

// Closing steps (chores, heartbeat removal, quit) give up after this when Redis does not answer.
const SHUTDOWN_STEP_MS = 3_000;

export function startOrderWorker(options: OrderWorkerOptions = {}): OrderWorker {
  return new Worker(options);
}

class Worker implements OrderWorker {
  readonly workerId: string;
  readonly closed: Promise<void>;
  failure: string | null = null;

  private readonly redis: RedisScope;
  private readonly ownsRedis: boolean;
  private readonly heartbeatMs: number;
  private readonly syncIntervalMs: number;
  private readonly log: Logger;
  private readonly chores: Chores;
  private readonly db: PrismaClient;
  private recovered = 0;
  private drain: Drain | null = null;
  private closing = false;

  constructor(private readonly o: OrderWorkerOptions) {
    this.workerId = o.workerId ?? newWorkerId();
    this.ownsRedis = !o.redis;
    this.redis = { client: o.redis ?? createWorkerRedis(), prefix: o.prefix ?? env.REDIS_PREFIX };
    this.db = o.db ?? prisma;
    this.heartbeatMs = o.heartbeatMs ?? env.WORKER_HEARTBEAT_MS;
    this.syncIntervalMs = o.syncIntervalMs ?? env.WORKER_SYNC_INTERVAL_MS;
    this.log = o.log ?? jsonLogger;
    this.chores = createChores(this.log, { worker: this.workerId });
    this.watchConnection();
    this.closed = this.run();
  }

  get counters(): WorkerCounters {
    const drained = this.drain?.counters ?? { batches: 0, orders: 0, inserted: 0, deadLetters: 0 };
    return { ...drained, recovered: this.recovered };
  }

  close(): Promise<void> {
    this.closing = true;
    void this.drain?.close();
    return this.closed;
  }

  private async run(): Promise<void> {
    try {
      await beat(this.redis, this.workerId, this.heartbeatMs);
      this.chores.every(() => this.heartbeatMs / 3, () => beat(this.redis, this.workerId, this.heartbeatMs));
      this.log('info', 'worker_started', { worker: this.workerId, batchSize: drainBatchSize(this.o.batchSize), heartbeatMs: this.heartbeatMs });
      await this.sweep();
      this.chores.every(() => jitter(this.heartbeatMs, 0.5), () => this.sweep());
      if (this.syncIntervalMs > 0) {
        this.chores.run(() => this.sync());
        this.chores.every(() => jitter(this.syncIntervalMs, 0.25), () => this.sync());
      }
      if (this.closing) return;
      const { batchSize, batchDelayMs, retryMaxMs, waitReplicas } = this.o;
      this.drain = drainOrders({ batchSize, batchDelayMs, retryMaxMs, waitReplicas, redis: this.redis, workerId: this.workerId, db: this.db, log: this.log });
      await this.drain.closed;
    } catch (err) {
      this.failure = errorText(err);
      this.log('error', 'worker_failed', { worker: this.workerId, error: this.failure });
    } finally {
      await this.shutdown();
    }
  }

  /** Requeue what workers with an expired heartbeat held. */
  private async sweep(): Promise<void> {
    for (const r of await recoverAbandoned(this.redis, this.workerId)) {
      this.recovered += r.orders;
      this.log('warn', 'recovered', { worker: this.workerId, from: r.workerId, sale: r.saleId, count: r.orders });
    }
  }

  private async sync(): Promise<void> {
    const result = await syncSales(this.redis, { db: this.db });
    this.log('info', 'sync', { worker: this.workerId, ...result });
  }

  private watchConnection(): void {
    let down = false;
    this.redis.client.on('error', (err: Error) => {
      if (down) return;
      down = true;
      this.log('warn', 'redis_down', { worker: this.workerId, error: errorText(err) });
    });
    this.redis.client.on('ready', () => {
      if (!down) return;
      down = false;
      this.log('info', 'redis_back', { worker: this.workerId });
    });
  }

  /** Each step on its own, each bounded: one failing or hanging does not skip the others. */
  private async shutdown(): Promise<void> {
    this.closing = true;
    const step = async (name: string, task: () => Promise<unknown>) => {
      try {
        await withTimeout(task(), SHUTDOWN_STEP_MS, () => new Error(`no answer within ${SHUTDOWN_STEP_MS} ms`));
      } catch (err) {
        this.log('warn', 'shutdown_step_failed', { worker: this.workerId, step: name, error: errorText(err) });
      }
    };
    await step('chores', () => this.chores.close());
    await step('heartbeat', () => stopBeating(this.redis, this.workerId));
    this.log('info', 'worker_stopped', { worker: this.workerId, ...this.counters });
    if (this.ownsRedis) {
      await step('redis', () => this.redis.client.quit());
      this.redis.client.disconnect();
    }
  }
}
