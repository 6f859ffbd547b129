import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { env } from '@/lib/config';
import { createPrismaClient, prisma } from '@/lib/db/client';
import type { Logger, LogFields } from '@/lib/log';
import { beat } from '@/lib/orders/heartbeat';
import type { QueuedOrder } from '@/lib/orders/order';
import { createWorkerRedis, requeueDeadLetters, takeBatch } from '@/lib/orders/queue';
import { storeOrders } from '@/lib/orders/store';
import type { RedisScope } from '@/lib/redis/connect';
import { globalKeys, saleKeys } from '@/lib/redis/keys';
import { reconcileSale } from '@/lib/sale/reconcile';
import { clearTestKeys, liveSale, saleRecord } from '@/test/fixtures';
import { dropSaleRows, orderSale, ordersInRedis, reserveMany, storedCount, storedIds, waitUntil } from '@/test/orders';
import { databaseProxy } from '@/test/services';
import { startOrderWorker, type OrderWorker, type OrderWorkerOptions } from '@/worker/orderWorker';

// A key prefix of this file's own, passed to every worker and helper (removed with the run's
// own, test/globalSetup.ts): the workers drain every sale under their prefix, so they must
// never see (and store) the queues of other test files or other runs sharing the Redis.
const redis = createWorkerRedis();
const scope: RedisScope = { client: redis, prefix: `${env.REDIS_PREFIX}-drain` };

// Each test's workers stop with it, so none drains the next test's sale.
const workers: OrderWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
});
const extraRows: string[] = [];
afterAll(async () => {
  await clearTestKeys();
  await dropSaleRows(...extraRows);
  redis.disconnect();
});

type Line = LogFields & { level: string; event: string };

function startWorker(options: OrderWorkerOptions = {}): { worker: OrderWorker; lines: Line[] } {
  const lines: Line[] = [];
  const log: Logger = (level, event, fields = {}) => void lines.push({ level, event, ...fields });
  const worker = startOrderWorker({ prefix: scope.prefix, syncIntervalMs: 0, heartbeatMs: 1_000, retryMaxMs: 300, log, ...options });
  workers.push(worker);
  return { worker, lines };
}

const reconcile = (saleId: string) => reconcileSale(saleId, scope);

describe('the order worker', () => {
  it('stores 10,000 queued orders with 3 workers at once: every order exactly once', async () => {
    const sale = await orderSale({ stock: 10_000 }, scope);
    const reserved = await reserveMany(sale.id, 10_000, 'u', scope);
    expect(await redis.hexists(saleKeys(sale.id, scope.prefix).orders, reserved[0])).toBe(1);
    expect(await storedCount(sale.id)).toBe(0);
    expect(await reconcile(sale.id)).toMatchObject({ booked: 10_000, confirmed: 0, pending: 10_000, difference: 0 });

    // A long heartbeat: on a loaded machine no worker is taken for dead, so the batch counts add up exactly.
    const started = [1, 2, 3].map(() => startWorker({ batchSize: 250, heartbeatMs: 10_000 }));
    await waitUntil('10,000 rows', async () => (await storedCount(sale.id)) >= 10_000, 30_000);
    await waitUntil('Redis empty', async () => {
      const left = await ordersInRedis(sale.id, scope);
      return left.queue + left.processing === 0;
    });
    await Promise.all(started.map(({ worker }) => worker.close()));

    const ids = await storedIds(sale.id);
    expect(ids).toHaveLength(10_000);
    expect(new Set(ids)).toEqual(new Set(reserved));
    expect(await ordersInRedis(sale.id, scope)).toEqual({ queue: 0, processing: 0, consumers: [], dead: 0 });
    expect(started.reduce((sum, { worker }) => sum + worker.counters.inserted, 0)).toBe(10_000);

    // One log line per batch, none per order; each names its count and time.
    const batches = started.flatMap(({ lines }) => lines.filter((l) => l.event === 'batch'));
    expect(batches.reduce((sum, l) => sum + Number(l.count), 0)).toBe(10_000);
    expect(batches.length).toBeLessThanOrEqual(10_000 / 250 + 3);
    expect(batches[0]).toMatchObject({ level: 'info', sale: sale.id, count: expect.any(Number), ms: expect.any(Number) });

    const queued = JSON.parse((await redis.hget(saleKeys(sale.id, scope.prefix).orders, reserved[0]))!) as QueuedOrder;
    const row = await prisma.order.findUniqueOrThrow({ where: { id: reserved[0] } });
    expect(row).toMatchObject({ saleId: sale.id, userId: 'u0', quantity: 1, status: 'confirmed' });
    expect(row.reservedAt.getTime()).toBe(queued.reservedAt);

    expect(await reconcile(sale.id)).toMatchObject({ booked: 10_000, confirmed: 10_000, pending: 0, difference: 0 });
    expect(await reconcile(sale.id)).toMatchObject({ queued: 0, deadLetters: 0 });
  });

  it('requeues the orders of a worker whose heartbeat expired, never those of a live one', async () => {
    const sale = await orderSale({ stock: 300 }, scope);
    const reserved = await reserveMany(sale.id, 300, 'u', scope);
    // "ghost" died holding 100 orders, after storing 40 of them; "slow" is alive and holds 100.
    const ghostBatch = await takeBatch(scope, sale.id, 'ghost', 100);
    await storeOrders(ghostBatch.slice(0, 40).map((j) => JSON.parse(j) as QueuedOrder));
    await beat(scope, 'slow', 60_000);
    await takeBatch(scope, sale.id, 'slow', 100);

    const { worker, lines } = startWorker({ batchSize: 50 });
    await waitUntil('200 rows', async () => (await storedCount(sale.id)) === 200);
    expect(lines.find((l) => l.event === 'recovered')).toMatchObject({ from: 'ghost', sale: sale.id, count: 100 });
    expect(await ordersInRedis(sale.id, scope)).toMatchObject({ queue: 0, processing: 100, consumers: ['slow'] });

    await redis.del(globalKeys(scope.prefix).workerHeartbeat('slow')); // "slow" dies too
    await waitUntil('300 rows', async () => (await storedCount(sale.id)) === 300);
    await waitUntil('Redis empty', async () => (await ordersInRedis(sale.id, scope)).processing === 0);
    expect(new Set(await storedIds(sale.id))).toEqual(new Set(reserved));
    expect(worker.counters).toMatchObject({ recovered: 200, inserted: 260 });
    expect(await reconcile(sale.id)).toMatchObject({ difference: 0, pending: 0 });
  });

  it('a resent take returns the batch in hand, takes nothing more', async () => {
    const sale = await liveSale({ stock: 10, maxPerUser: 10 }, scope);
    await reserveMany(sale.id, 6, 'u', scope);
    const first = await takeBatch(scope, sale.id, 'resend', 4);
    const again = await takeBatch(scope, sale.id, 'resend', 4);
    expect(again).toEqual(first);
    expect(await ordersInRedis(sale.id, scope)).toMatchObject({ queue: 2, processing: 4, consumers: ['resend'] });
  });

  it('moves orders without a sale row to dead letters instead of blocking; the sync requeues them', async () => {
    const orphan = await liveSale({ stock: 10, maxPerUser: 10 }, scope); // in Redis only
    const fine = await orderSale({ stock: 10 }, scope);
    await reserveMany(orphan.id, 5, 'o', scope);
    await reserveMany(fine.id, 5, 'f', scope);
    await redis.lpush(saleKeys(fine.id, scope.prefix).queue, 'not an order');

    const { worker, lines } = startWorker();
    await waitUntil('the other sale stored', async () => (await storedCount(fine.id)) === 5);
    await waitUntil('dead letters', async () => (await ordersInRedis(orphan.id, scope)).dead === 5);
    expect(lines.filter((l) => l.event === 'dead_letter')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'error', sale: orphan.id, count: 5, reason: 'sale_missing' }),
        expect.objectContaining({ level: 'error', sale: fine.id, count: 1, reason: 'malformed' }),
      ]),
    );
    expect(await ordersInRedis(orphan.id, scope)).toMatchObject({ queue: 0, processing: 0 });
    expect(await reconcile(orphan.id)).toMatchObject({ booked: 5, pending: 5, deadLetters: 5, difference: 0 });

    // The row appears (restored by hand, say): the sync puts well-formed dead letters back.
    await prisma.sale.create({ data: saleRecord({ id: orphan.id }) });
    extraRows.push(orphan.id);
    expect(await requeueDeadLetters(scope, orphan.id)).toBe(5);
    expect(await requeueDeadLetters(scope, fine.id)).toBe(0); // "not an order" stays dead
    await waitUntil('orphans stored', async () => (await storedCount(orphan.id)) === 5);
    expect(await ordersInRedis(fine.id, scope)).toMatchObject({ dead: 1 });
    await worker.close();
  });

  it('keeps every order in Redis while PostgreSQL is unreachable, or its answer is lost, and catches up when it returns', async () => {
    const sale = await orderSale({ stock: 2_000 }, scope);
    const reserved = await reserveMany(sale.id, 2_000, 'u', scope);
    const proxy = await databaseProxy(process.env.DATABASE_URL!);
    const db = createPrismaClient(proxy.url);
    const retries = (lines: Line[]) => lines.filter((l) => l.event === 'store_retry').length;
    try {
      const { worker, lines } = startWorker({ db, batchSize: 500 });
      await waitUntil('retries', async () => retries(lines) >= 3);
      expect(await storedCount(sale.id)).toBe(0);
      expect(await ordersInRedis(sale.id, scope)).toMatchObject({ queue: 1_500, processing: 500 });

      // Back, but the first batch's answer is lost on the way: PostgreSQL stored it, the
      // worker never heard, so the batch stays in Redis and is sent again.
      const lost = proxy.loseAnswer(/INSERT 0 500/);
      await proxy.up();
      await lost;
      await waitUntil('the unanswered batch stored', async () => (await storedCount(sale.id)) === 500);
      expect(await ordersInRedis(sale.id, scope)).toMatchObject({ queue: 1_500, processing: 500 });
      const before = retries(lines);
      await waitUntil('retries of the unanswered batch', async () => retries(lines) >= before + 2);

      await proxy.up();
      await waitUntil('2,000 rows', async () => (await storedCount(sale.id)) === 2_000);
      await waitUntil('Redis empty', async () => (await ordersInRedis(sale.id, scope)).processing === 0);
      expect(new Set(await storedIds(sale.id))).toEqual(new Set(reserved));
      const batches = lines.filter((l) => l.event === 'batch' && l.sale === sale.id);
      expect(batches.map((l) => l.inserted)).toEqual([0, 500, 500, 500]); // the resent batch doubled nothing
      expect(lines.find((l) => l.event === 'store_retry')).toMatchObject({ level: 'warn', count: 500, error: expect.any(String) });
      await worker.close();
    } finally {
      await proxy.down();
      await db.$disconnect();
    }
  });

  it('closing while PostgreSQL is unreachable hands the batch back to the queue at once', async () => {
    const sale = await orderSale({ stock: 100 }, scope);
    await reserveMany(sale.id, 100, 'u', scope);
    const proxy = await databaseProxy(process.env.DATABASE_URL!); // never brought up
    const db = createPrismaClient(proxy.url);
    try {
      const { worker, lines } = startWorker({ db, batchSize: 60 });
      await waitUntil('a retry', async () => lines.some((l) => l.event === 'store_retry'));
      await worker.close();
      expect(lines.find((l) => l.event === 'batch_requeued' && l.sale === sale.id)).toMatchObject({ count: 60 });
      expect(await ordersInRedis(sale.id, scope)).toEqual({ queue: 100, processing: 0, consumers: [], dead: 0 });
      expect(await redis.exists(globalKeys(scope.prefix).workerHeartbeat(worker.workerId))).toBe(0);
      expect(lines.at(-1)).toMatchObject({ event: 'worker_stopped' });
    } finally {
      await db.$disconnect();
    }
  });
});
