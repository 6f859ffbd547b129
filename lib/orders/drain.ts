import { env } from '../config';
import { prisma } from '../db/client';
import type { PrismaClient } from '../db/generated/client';
import { errorText, type Logger } from '../log';
import { jitter } from '../timeout';
import type { RedisScope } from '../redis/connect';
import { parseQueuedOrder, type QueuedOrder } from './order';
import { ackBatch, deadLetter, listSaleIds, requeueProcessing, takeBatch, waitForReplicas } from './queue';
import { isMissingSale, storeOrders } from './store';

// The drain: take a batch of one sale's queue into this worker's processing list, store it in
// PostgreSQL, acknowledge it. The list is dropped only after PostgreSQL holds the orders (and a
// second insert is a no-op), so a crash at any point leaves each order either stored or still
// in Redis. Heartbeats, the dead-worker sweep and the sale sync run beside it
// (worker/orderWorker.ts composes them); docs/worker.md has the rest.

export type DrainOptions = {
  redis: RedisScope;
  workerId: string;
  db?: PrismaClient;
  batchSize?: number;
  /** tests only: pause between storing a batch and acknowledging it */
  batchDelayMs?: number;
  /** the longest wait between two attempts to store a batch while PostgreSQL fails */
  retryMaxMs?: number;
  /** replicas that must hold a batch before it is stored (WAIT); 0: do not wait */
  waitReplicas?: number;
  log: Logger;
};

export type DrainCounters = { batches: number; orders: number; inserted: number; deadLetters: number };

export type Drain = {
  readonly counters: Readonly<DrainCounters>;
  /** resolves when the drain has stopped, after close() */
  readonly closed: Promise<void>;
  /** Finish the batch in hand, then stop. Safe to call more than once. */
  close(): Promise<void>;
};

const IDLE_MIN_MS = 10;
const IDLE_MAX_MS = 200;
// While some sales are busy only they are polled; all of them at least this often.
const FULL_POLL_MS = 250;
// How long a batch waits for replicas to hold it before it is stored anyway (replica_lag).
const REPLICA_WAIT_MS = 1_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The batch size a drain uses: take-batch-3.lua unpacks a batch onto Lua's stack, so at most 5,000. */
export const drainBatchSize = (asked = env.WORKER_BATCH_SIZE) => Math.min(Math.max(1, asked), 5_000);

/** Start draining every sale's queue under the scope's prefix, until close(). */
export function drainOrders(options: DrainOptions): Drain {
  return new OrderDrain(options);
}

type Batch = { saleId: string; raw: string[] };
type Stored = { ok: true; inserted: number } | { ok: false; reason: 'sale_missing' | 'closing' };

class OrderDrain implements Drain {
  readonly counters: DrainCounters = { batches: 0, orders: 0, inserted: 0, deadLetters: 0 };
  readonly closed: Promise<void>;

  private readonly redis: RedisScope;
  private readonly workerId: string;
  private readonly db: PrismaClient;
  private readonly batchSize: number;
  private readonly batchDelayMs: number;
  private readonly retryMaxMs: number;
  private readonly waitReplicas: number;
  private readonly log: Logger;

  private closing = false;
  private readonly wakers = new Set<() => void>();

  constructor(o: DrainOptions) {
    this.redis = o.redis;
    this.workerId = o.workerId;
    this.db = o.db ?? prisma;
    this.batchSize = drainBatchSize(o.batchSize);
    this.batchDelayMs = o.batchDelayMs ?? 0;
    this.retryMaxMs = o.retryMaxMs ?? 5_000;
    this.waitReplicas = o.waitReplicas ?? env.WORKER_WAIT_REPLICAS ?? (env.REDIS_TOPOLOGY === 'single' ? 0 : 1);
    this.log = o.log;
    this.closed = this.loop();
  }

  close(): Promise<void> {
    this.closing = true;
    for (const wake of this.wakers) wake();
    return this.closed;
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
}
