import { env } from '../config';
import { prisma } from '../db/client';
import type { PrismaClient } from '../db/generated/client';
import { errorText, jsonLogger, type Logger } from '../log';
import type { RedisClient } from '../redis/connect';
import { syncSales } from '../sale/sync';
import type { QueuedOrder } from '../sale/reserve';
import {
  ackBatch,
  beat,
  createWorkerRedis,
  deadLetter,
  listSaleIds,
  newWorkerId,
  parseQueuedOrder,
  recoverAbandoned,
  requeueProcessing,
  stopBeating,
  takeBatch,
  waitForReplicas,
} from './queue';
import { isMissingSale, storeOrders } from './store';

// The order worker: drains every sale's queue into PostgreSQL, exactly once, through any
// crash. Orders move atomically from the queue into this worker's processing list; the list
// is dropped only after PostgreSQL holds them (and a second insert is a no-op), so a crash
// at any point leaves each order either stored or still in Redis. docs/worker.md has the rest.

export type DrainOptions = {
  workerId?: string;
  /** the worker's own connection; by default one is made (and closed with the worker) */
  redis?: RedisClient;
  db?: PrismaClient;
  batchSize?: number;
  /** heartbeat TTL: silence this long and other workers requeue this one's orders */
  heartbeatMs?: number;
  /** periodic syncSales (randomised +-25%); 0: never */
  syncIntervalMs?: number;
  /** tests only: pause between storing a batch and acknowledging it */
  batchDelayMs?: number;
  /** the longest wait between two attempts to store a batch while PostgreSQL fails */
  retryMaxMs?: number;
  /** replicas that must hold a batch before it is stored (WAIT); 0: do not wait */
  waitReplicas?: number;
  log?: Logger;
};

export type DrainCounters = { batches: number; orders: number; inserted: number; recovered: number; deadLetters: number };

export type OrderWorker = {
  readonly workerId: string;
  readonly counters: Readonly<DrainCounters>;
  /** resolves when the worker has stopped: after close(), or after a failure to start */
  readonly closed: Promise<void>;
  /** why the worker stopped by itself (null: it did not, or close() stopped it) */
  readonly failure: string | null;
  /** Finish the batch in hand, then stop. Safe to call more than once. */
  close(): Promise<void>;
};

const IDLE_MIN_MS = 10;
const IDLE_MAX_MS = 200;
// While some sales are busy only they are polled; all of them at least this often.
const FULL_POLL_MS = 250;
// How long a batch waits for replicas to hold it before it is stored anyway (replica_lag).
const REPLICA_WAIT_MS = 1_000;
// Closing steps (heartbeat removal, quit) give up after this when Redis does not answer.
const SHUTDOWN_STEP_MS = 3_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const jitter = (ms: number, spread: number) => Math.round(ms * (1 - spread + Math.random() * 2 * spread));

/** Start a worker in this process. worker/index.ts runs one; tests run several side by side. */
export function drainOrders(options: DrainOptions = {}): OrderWorker {
  return new Drain(options);
}

type Batch = { saleId: string; raw: string[] };
type Stored = { ok: true; inserted: number } | { ok: false; reason: 'sale_missing' | 'closing' };

class Drain implements OrderWorker {
  readonly workerId: string;
  readonly counters: DrainCounters = { batches: 0, orders: 0, inserted: 0, recovered: 0, deadLetters: 0 };
  readonly closed: Promise<void>;
  failure: string | null = null;

  private readonly redis: RedisClient;
  private readonly ownsRedis: boolean;
  private readonly db: PrismaClient;
  private readonly batchSize: number;
  private readonly heartbeatMs: number;
  private readonly syncIntervalMs: number;
  private readonly batchDelayMs: number;
  private readonly retryMaxMs: number;
  private readonly waitReplicas: number;
  private readonly log: Logger;

  private closing = false;
  private readonly wakers = new Set<() => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly chores = new Set<Promise<unknown>>();

  constructor(o: DrainOptions) {
    this.workerId = o.workerId ?? newWorkerId();
    this.ownsRedis = !o.redis;
    this.redis = o.redis ?? createWorkerRedis();
    this.db = o.db ?? prisma;
    // take-batch-3.lua unpacks a batch onto Lua's stack: at most 5,000.
    this.batchSize = Math.min(Math.max(1, o.batchSize ?? env.WORKER_BATCH_SIZE), 5_000);
    this.heartbeatMs = o.heartbeatMs ?? env.WORKER_HEARTBEAT_MS;
    this.syncIntervalMs = o.syncIntervalMs ?? env.WORKER_SYNC_INTERVAL_MS;
    this.batchDelayMs = o.batchDelayMs ?? 0;
    this.retryMaxMs = o.retryMaxMs ?? 5_000;
    this.waitReplicas = o.waitReplicas ?? env.WORKER_WAIT_REPLICAS ?? (env.REDIS_TOPOLOGY === 'single' ? 0 : 1);
    this.log = o.log ?? jsonLogger;
    this.watchConnection();
    this.closed = this.run();
  }

  close(): Promise<void> {
    this.closing = true;
    for (const wake of this.wakers) wake();
    return this.closed;
  }

  private async run(): Promise<void> {
    try {
      await beat(this.redis, this.workerId, this.heartbeatMs);
      this.every(() => this.heartbeatMs / 3, () => beat(this.redis, this.workerId, this.heartbeatMs));
      this.log('info', 'worker_started', { worker: this.workerId, batchSize: this.batchSize, heartbeatMs: this.heartbeatMs });
      await this.sweep();
      this.every(() => jitter(this.heartbeatMs, 0.5), () => this.sweep());
      if (this.syncIntervalMs > 0) {
        this.chore(this.sync());
        this.every(() => jitter(this.syncIntervalMs, 0.25), () => this.sync());
      }
      await this.loop();
    } catch (err) {
      this.failure = errorText(err);
      this.log('error', 'worker_failed', { worker: this.workerId, error: this.failure });
    } finally {
      await this.shutdown();
    }
  }

  private async loop(): Promise<void> {
    let busy: string[] = [];
    let lastFullPoll = 0;
    let idleMs = IDLE_MIN_MS;
    while (!this.closing) {
      try {
        const full = busy.length === 0 || Date.now() - lastFullPoll >= FULL_POLL_MS;
        const saleIds = full ? await listSaleIds(this.redis) : busy;
        if (full) lastFullPoll = Date.now();
        const taken = await Promise.all(saleIds.map((saleId) => takeBatch(this.redis, saleId, this.workerId, this.batchSize)));
        const batches = saleIds.map((saleId, i) => ({ saleId, raw: taken[i] })).filter((b) => b.raw.length > 0);
        busy = batches.map((b) => b.saleId);
        if (batches.length === 0) {
          await this.idle(idleMs);
          idleMs = Math.min(idleMs * 2, IDLE_MAX_MS);
          continue;
        }
        idleMs = IDLE_MIN_MS;
        // Every batch settles before the next round, so none is taken up again while in hand.
        const results = await Promise.allSettled(batches.map((b) => this.handle(b)));
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
      } catch (err) {
        // A Redis error reply or a bug: the orders stay in Redis; try again shortly.
        this.log('error', 'round_failed', { worker: this.workerId, error: errorText(err) });
        await this.idle(1_000);
      }
    }
  }

  /** Store one sale's batch, then acknowledge it: the one place orders leave Redis. */
  private async handle({ saleId, raw }: Batch): Promise<void> {
    const started = performance.now();
    const orders: QueuedOrder[] = [];
    const valid: string[] = [];
    const unusable: string[] = [];
    for (const entry of raw) {
      const order = parseQueuedOrder(entry, saleId);
      if (order) {
        orders.push(order);
        valid.push(entry);
      } else {
        unusable.push(entry);
      }
    }
    if (unusable.length > 0) await this.deadLetter(saleId, unusable, 'malformed');

    // PostgreSQL confirms only reservations a replica holds too, so a failover (which promotes
    // the most advanced replica) cannot sell again units already confirmed. A replica that does
    // not answer in time is logged, not waited for: draining goes on. A batch no longer in
    // hand afterwards was lost with the primary: it is not stored, the next round takes anew.
    if (this.waitReplicas > 0 && orders.length > 0) {
      const { acked, inHand } = await waitForReplicas(this.redis, saleId, this.workerId, this.waitReplicas, REPLICA_WAIT_MS);
      if (inHand !== valid.length) {
        this.log('warn', 'batch_lost', { worker: this.workerId, sale: saleId, count: valid.length, inHand });
        return;
      }
      if (acked < this.waitReplicas) {
        this.log('warn', 'replica_lag', { worker: this.workerId, sale: saleId, count: orders.length, replicas: acked, wanted: this.waitReplicas });
      }
    }

    const stored = await this.store(saleId, orders);
    if (!stored.ok && stored.reason === 'closing') {
      // PostgreSQL still fails and we are closing: hand the batch back now rather than leave
      // it until the heartbeat expires.
      const count = await requeueProcessing(this.redis, saleId, this.workerId);
      this.log('warn', 'batch_requeued', { worker: this.workerId, sale: saleId, count });
      return;
    }
    if (!stored.ok) {
      // No sale row: storing can never succeed, so the batch must not block the queue.
      await this.deadLetter(saleId, valid, 'sale_missing');
    } else if (this.batchDelayMs > 0) {
      await sleep(this.batchDelayMs);
    }
    await ackBatch(this.redis, saleId, this.workerId);
    if (!stored.ok) return;
    this.counters.batches += 1;
    this.counters.orders += orders.length;
    this.counters.inserted += stored.inserted;
    this.log('info', 'batch', {
      worker: this.workerId,
      sale: saleId,
      count: orders.length,
      inserted: stored.inserted,
      ms: Math.round(performance.now() - started),
    });
  }

  /** Insert until PostgreSQL takes the batch, backing off with jitter; give up only when closing. */
  private async store(saleId: string, orders: QueuedOrder[]): Promise<Stored> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { inserted } = await storeOrders(orders, this.db);
        return { ok: true, inserted };
      } catch (err) {
        if (isMissingSale(err)) return { ok: false, reason: 'sale_missing' };
        if (this.closing) return { ok: false, reason: 'closing' };
        const waitMs = jitter(Math.min(100 * 2 ** attempt, this.retryMaxMs), 0.25);
        this.log('warn', 'store_retry', { worker: this.workerId, sale: saleId, count: orders.length, attempt: attempt + 1, waitMs, error: errorText(err) });
        await this.idle(waitMs);
      }
    }
  }

  private async deadLetter(saleId: string, raw: string[], reason: string): Promise<void> {
    const n = await deadLetter(this.redis, saleId, this.workerId, raw);
    this.counters.deadLetters += n;
    this.log('error', 'dead_letter', { worker: this.workerId, sale: saleId, count: n, reason });
  }

  /** Requeue what workers with an expired heartbeat held. */
  private async sweep(): Promise<void> {
    const recovered = await recoverAbandoned(this.redis, this.workerId, await listSaleIds(this.redis));
    for (const r of recovered) {
      this.counters.recovered += r.orders;
      this.log('warn', 'recovered', { worker: this.workerId, from: r.workerId, sale: r.saleId, count: r.orders });
    }
  }

  private async sync(): Promise<void> {
    const result = await syncSales({ client: this.redis, db: this.db });
    this.log('info', 'sync', { worker: this.workerId, ...result });
  }

  /** Run `task` after `delayMs()` again and again (a fresh delay each time, for jitter) until closing. */
  private every(delayMs: () => number, task: () => Promise<unknown>): void {
    const schedule = () => {
      if (this.closing) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.closing) return;
        this.chore(task().finally(schedule));
      }, delayMs());
      this.timers.add(timer);
    };
    schedule();
  }

  /** Track a background task; its failure is logged, never thrown. */
  private chore(task: Promise<unknown>): void {
    const tracked = task.catch((err) => this.log('error', 'chore_failed', { worker: this.workerId, error: errorText(err) }));
    this.chores.add(tracked);
    void tracked.finally(() => this.chores.delete(tracked));
  }

  /** Sleep, but wake at once on close(). */
  private idle(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  private watchConnection(): void {
    let down = false;
    this.redis.on('error', (err: Error) => {
      if (down) return;
      down = true;
      this.log('warn', 'redis_down', { worker: this.workerId, error: errorText(err) });
    });
    this.redis.on('ready', () => {
      if (!down) return;
      down = false;
      this.log('info', 'redis_back', { worker: this.workerId });
    });
  }

  /** Each step on its own, each bounded: one failing or hanging does not skip the others. */
  private async shutdown(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const step = async (name: string, task: () => Promise<unknown>) => {
      try {
        await within(SHUTDOWN_STEP_MS, task());
      } catch (err) {
        this.log('warn', 'shutdown_step_failed', { worker: this.workerId, step: name, error: errorText(err) });
      }
    };
    await step('chores', () => Promise.all(this.chores));
    await step('heartbeat', () => stopBeating(this.redis, this.workerId));
    this.log('info', 'worker_stopped', { worker: this.workerId, ...this.counters });
    if (this.ownsRedis) {
      await step('redis', () => this.redis.quit());
      this.redis.disconnect();
    }
  }
}

/** `task`, or a rejection after `ms`. */
function within<T>(ms: number, task: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([task, timeout]).finally(() => clearTimeout(timer));
}
