import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { env } from '@/lib/config';
import { createWorkerRedis } from '@/lib/orders/queue';
import type { RedisScope } from '@/lib/redis/connect';
import { globalKeys, saleKeys } from '@/lib/redis/keys';
import { clearTestKeys } from '@/test/fixtures';
import { dropSaleRows, orderSale, ordersInRedis, reserveMany, storedCount, storedIds, waitUntil } from '@/test/orders';
import { spawnWorker, type WorkerProcess } from './spawn';

// A key prefix of this file's own, given to the child workers and to every helper (removed with
// the run's own, test/globalSetup.ts): the workers drain every sale under it, so they must
// never see the queues of other test files or runs sharing the Redis.
const redis = createWorkerRedis();
const scope: RedisScope = { client: redis, prefix: `${env.REDIS_PREFIX}-worker` };

// Real worker processes (worker/index.ts), killed for real. WORKER_BATCH_DELAY_MS holds each
// batch between its insert and its acknowledgement, the window where a crash hurts most.
const children: WorkerProcess[] = [];
function startChild(env: Record<string, string> = {}): WorkerProcess {
  const child = spawnWorker({ REDIS_PREFIX: scope.prefix, WORKER_HEARTBEAT_MS: '1000', WORKER_SYNC_INTERVAL_MS: '0', WORKER_BATCH_SIZE: '500', ...env });
  children.push(child);
  return child;
}
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  }
});
afterAll(async () => {
  await clearTestKeys();
  await dropSaleRows();
  redis.disconnect();
});

const processingOf = (saleId: string, w: WorkerProcess) =>
  w.waitFor((l) => l.event === 'worker_started').then((l) => redis.llen(saleKeys(saleId, scope.prefix).processing(String(l.worker))));

describe('worker process', () => {
  it('SIGKILL mid-batch: another worker recovers the batch and every order is stored exactly once', async () => {
    const sale = await orderSale({ stock: 3_000 }, scope);
    const reserved = await reserveMany(sale.id, 3_000, 'u', scope);

    const doomed = startChild({ WORKER_BATCH_DELAY_MS: '30000' });
    await waitUntil('the first batch stored', async () => (await storedCount(sale.id)) >= 500);
    expect(await processingOf(sale.id, doomed)).toBe(500); // stored, not yet acknowledged
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(await ordersInRedis(sale.id, scope)).toMatchObject({ queue: 2_500, processing: 500 });

    const rescuer = startChild();
    const recovered = await rescuer.waitFor((l) => l.event === 'recovered');
    expect(recovered).toMatchObject({ sale: sale.id, count: 500 });
    await waitUntil('all stored', async () => (await storedCount(sale.id)) === 3_000);
    await waitUntil('Redis empty', async () => {
      const left = await ordersInRedis(sale.id, scope);
      return left.queue + left.processing === 0;
    });
    const ids = await storedIds(sale.id);
    expect(ids).toHaveLength(3_000);
    expect(new Set(ids)).toEqual(new Set(reserved));
    // The recovered batch was stored again: the primary key skipped all 500.
    await rescuer.waitFor((l) => l.event === 'batch' && l.count === 500 && l.inserted === 0);

    rescuer.child.kill('SIGTERM');
    expect(await rescuer.exited).toEqual({ code: 0, signal: null });
  });

  it('SIGTERM: finishes the batch in hand, takes no more, exits 0 with nothing in its processing list', async () => {
    const sale = await orderSale({ stock: 1_500 }, scope);
    await reserveMany(sale.id, 1_500, 'u', scope);
    const worker = startChild({ WORKER_BATCH_DELAY_MS: '3000' }); // time enough to see the batch stored
    await waitUntil('the first batch stored', async () => (await storedCount(sale.id)) >= 500);
    const { worker: workerId } = await worker.waitFor((l) => l.event === 'worker_started');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });

    expect(await storedCount(sale.id)).toBe(500);
    expect(await ordersInRedis(sale.id, scope)).toEqual({ queue: 1_000, processing: 0, consumers: [], dead: 0 });
    expect(await redis.exists(globalKeys(scope.prefix).workerHeartbeat(String(workerId)))).toBe(0);
    expect(worker.lines.map((l) => l.event)).toEqual(
      expect.arrayContaining(['worker_started', 'worker_stopping', 'batch', 'worker_stopped']),
    );
    expect(worker.lines.filter((l) => l.event === 'batch')).toHaveLength(1);
  });

  it('a second signal exits at once; the batch in hand stays in Redis for the others', async () => {
    const sale = await orderSale({ stock: 500 }, scope);
    await reserveMany(sale.id, 500, 'u', scope);
    const worker = startChild({ WORKER_BATCH_DELAY_MS: '30000' });
    await waitUntil('the batch stored', async () => (await storedCount(sale.id)) === 500);
    worker.child.kill('SIGINT');
    await worker.waitFor((l) => l.event === 'worker_stopping');
    worker.child.kill('SIGINT');
    expect(await worker.exited).toEqual({ code: 130, signal: null });
    expect(await ordersInRedis(sale.id, scope)).toMatchObject({ queue: 0, processing: 500 });
  });

  it('npm run reconcile: zero difference after a drain; a difference shows and fails the command', async () => {
    const drained = await orderSale({ stock: 300 }, scope);
    const tampered = await orderSale({ stock: 300 }, scope);
    await reserveMany(drained.id, 200, 'u', scope);
    await reserveMany(tampered.id, 100, 'u', scope);
    const worker = startChild();
    await waitUntil('drained', async () => (await storedCount(drained.id)) === 200 && (await storedCount(tampered.id)) === 100);
    worker.child.kill('SIGTERM');
    await worker.exited;
    await reserveMany(drained.id, 50, 'late', scope); // still queued: not a difference
    await redis.hincrby(saleKeys(tampered.id, scope.prefix).stock, 'Booked', 3);

    const cli = spawn(process.execPath, ['--import', 'tsx', 'scripts/reconcile.ts', '--sale', drained.id, '--sale', tampered.id], {
      env: { ...process.env, REDIS_PREFIX: scope.prefix },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    cli.stdout.on('data', (chunk) => (out += chunk));
    const [code] = await once(cli, 'exit');
    const row = (id: string) => out.split('\n').find((l) => l.startsWith(id))?.trim().split(/\s+/);
    // sale, booked, confirmed, pending, queued, dead, difference
    expect(row(drained.id)).toEqual([drained.id, '250', '200', '50', '50', '0', '0']);
    expect(row(tampered.id)).toEqual([tampered.id, '103', '100', '0', '0', '0', '3']);
    expect(out).toContain('1 sale(s) differ');
    expect(code).toBe(1);
  });
});
