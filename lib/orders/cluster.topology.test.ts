import { afterAll, expect, it, vi } from 'vitest';

// A key prefix of this file's own (the child worker inherits it): the workers drain every sale
// under it and nothing else.
vi.hoisted(() => {
  process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX}-cluster`; // removed with the run's own (test/globalSetup.ts)
});

import type { Cluster } from 'ioredis';
import { redis } from '@/lib/redis/client';
import { saleKeys } from '@/lib/redis/keys';
import { newSaleId } from '@/lib/ids';
import { reconcileSale } from '@/lib/sale/reconcile';
import { reserveStock } from '@/lib/sale/reserve';
import { getSaleStatus } from '@/lib/sale/status';
import { clearTestKeys, saleFigures } from '@/test/fixtures';
import { dropSaleRows, orderSale, ordersInRedis, storedCount, storedIds, waitUntil } from '@/test/orders';
import { onTopology } from '@/test/topology';
import { startOrderWorker, type OrderWorker } from '@/worker/orderWorker';
import { spawnWorker, type WorkerProcess } from '@/worker/spawn';

// Redis Cluster (REDIS_TOPOLOGY=cluster, scripts/redis-topology.sh start cluster: 3 masters,
// one replica each). One sale is one hash tag, so one slot: sales spread over the shards and
// each script runs whole on its sale's shard; the workers find every shard's queues through
// the one `sales` set.

const cluster = redis as Cluster;

/** The master ("host:port") that holds a sale's slot. */
async function shardOf(saleId: string): Promise<string> {
  const slot = Number(await cluster.cluster('KEYSLOT', saleKeys(saleId).meta));
  return cluster.slots[slot][0];
}

onTopology('cluster', 'sales spread over three shards, several workers', () => {
  const workers: OrderWorker[] = [];
  const children: WorkerProcess[] = [];
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await clearTestKeys();
    await dropSaleRows();
  });

  it('spreads sale ids evenly over the shards, and keeps all of one sale in one slot', async () => {
    const ids = Array.from({ length: 600 }, () => newSaleId());
    const shards = await Promise.all(ids.map(shardOf));
    const perShard = Object.values(shards.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {}));
    expect(perShard).toHaveLength(3);
    // 200 each on average; a binomial spread of more than +-50 would be a 4-sigma event.
    for (const n of perShard) expect(n).toBeGreaterThan(150);
    for (const n of perShard) expect(n).toBeLessThan(250);

    const k = saleKeys(ids[0]);
    const keys = [...Object.values(k).filter((v): v is string => typeof v === 'string'), k.processing('w1')];
    const slots = await Promise.all(keys.map((key) => cluster.cluster('KEYSLOT', key)));
    expect(new Set(slots).size).toBe(1);
  });

  it('20 sales over 3 shards, 3 workers: every order confirmed exactly once', { timeout: 90_000 }, async () => {
    // Random ids leave a shard without a sale once in about a thousand draws of 20; draw until
    // every shard has some, so the test always covers all three.
    let ids: string[] = [];
    let shards: string[] = [];
    do {
      ids = Array.from({ length: 20 }, () => newSaleId());
      shards = await Promise.all(ids.map(shardOf));
    } while (new Set(shards).size < 3);
    const stock = 120;
    const buyers = 150;
    const sales = await Promise.all(ids.map((id) => orderSale({ id, stock })));

    // The rush, on every sale at once: exactly the stock of each is sold.
    const outcomes = await Promise.all(
      sales.flatMap((sale) =>
        Array.from({ length: buyers }, (_, i) => reserveStock({ saleId: sale.id, userId: `b${i}`, quantity: 1 })),
      ),
    );
    const reserved = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
    for (const o of outcomes) if (o.ok) reserved.get(o.order.saleId)!.add(o.order.orderId);
    for (const sale of sales) {
      expect(reserved.get(sale.id)!.size).toBe(stock);
      expect(await saleFigures(sale.id)).toMatchObject({ total: stock, booked: stock, queued: stock });
      expect(await getSaleStatus(sale.id)).toMatchObject({ state: 'sold_out' });
    }
    expect(outcomes.filter((o) => !o.ok && o.code === 'sold_out')).toHaveLength(20 * (buyers - stock));

    // Three workers, each with its own cluster connection: a real process configured by the
    // environment alone, and two in this process.
    const child = spawnWorker({ WORKER_SYNC_INTERVAL_MS: '0', WORKER_BATCH_SIZE: '50' });
    children.push(child);
    await child.waitFor((l) => l.event === 'worker_started', 30_000);
    const logs: { event: string; [field: string]: unknown }[][] = [[], []];
    for (const lines of logs) {
      workers.push(startOrderWorker({ syncIntervalMs: 0, batchSize: 50, log: (_level, event, fields = {}) => void lines.push({ event, ...fields }) }));
    }
    const total = 20 * stock;
    await waitUntil(`${total} rows`, async () => (await Promise.all(ids.map(storedCount))).reduce((a, b) => a + b, 0) >= total, 60_000);
    await waitUntil('Redis empty', async () => {
      const left = await Promise.all(ids.map((id) => ordersInRedis(id)));
      return left.every((l) => l.queue + l.processing === 0);
    });
    await Promise.all(workers.splice(0).map((w) => w.close()));
    child.child.kill('SIGTERM');
    await child.exited;
    expect(child.lines.some((l) => l.event === 'worker_stopped')).toBe(true);

    for (const id of ids) {
      const stored = await storedIds(id);
      expect(stored).toHaveLength(stock);
      expect(new Set(stored)).toEqual(reserved.get(id));
      expect(await reconcileSale(id, { client: redis })).toMatchObject({ booked: stock, confirmed: stock, pending: 0, difference: 0 });
    }
    // Every batch was handled once (no order taken twice), the three workers shared the
    // work, and between them they drained every shard.
    const batches = [child.lines, ...logs].map((lines) => lines.filter((l) => l.event === 'batch'));
    expect(batches.flat().reduce((sum, l) => sum + Number(l.count), 0)).toBe(total);
    for (const own of batches) expect(own.length).toBeGreaterThan(0);
    expect(new Set(await Promise.all(batches.flat().map((l) => shardOf(String(l.sale)))))).toEqual(new Set(shards));
  });
});
