// npm run bench:drain [-- --orders 100000 --workers 1,2]: how fast worker processes store a
// queue of orders in PostgreSQL. Fills one sale's queue, starts N real workers
// (worker/index.ts), and times the drain from the start of the first batch to the end of the
// last, by the workers' own log lines. Prints orders/s and writes bench/results/drain.json.
// Uses REDIS_URL and DATABASE_URL (migrated), under a key prefix and a sale of its own, removed after.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { prisma } from '../lib/db/client';
import { createWorkerRedis } from '../lib/orders/queue';
import { globalKeys, saleKeys } from '../lib/redis/keys';
import { newOrderId, newSaleId } from '../lib/ids';
import { spawnWorker, type LogLine, type WorkerProcess } from '../worker/spawn';

export type DrainBenchResult = { orders: number; workers: number; ms: number; ordersPerSecond: number };

const DEFAULT_ORDERS = 100_000;
const SMOKE_ORDERS = 2_000;
const PUSH_CHUNK = 5_000;
const TIMEOUT_MS = 10 * 60_000;

export type DrainBenchOptions = {
  /** queued orders to drain (default 100,000; 2,000 with smoke) */
  orders?: number;
  /** worker processes (default 1) */
  workers?: number;
  smoke?: boolean;
};

/** Drain `orders` queued orders with `workers` worker processes; resolves with the figures. */
export async function runDrainBench(options: DrainBenchOptions = {}): Promise<DrainBenchResult> {
  const orders = options.orders ?? (options.smoke ? SMOKE_ORDERS : DEFAULT_ORDERS);
  const workers = options.workers ?? 1;
  const prefix = `fgbench-drain-${process.pid}-${Date.now().toString(36)}`;
  const saleId = newSaleId();
  const k = saleKeys(saleId, prefix);
  const sales = globalKeys(prefix).sales;
  const redis = createWorkerRedis();
  const children: WorkerProcess[] = [];
  await prisma.sale.create({
    data: { id: saleId, name: 'Drain benchmark', priceCents: 100, stock: orders, startsAt: new Date(), maxPerUser: 1 },
  });
  try {
    // The queue is filled before the sale is listed in the prefix's `sales` set, so the
    // workers see it only when it is whole.
    const reservedAt = Date.now();
    for (let start = 0; start < orders; start += PUSH_CHUNK) {
      const chunk = Array.from({ length: Math.min(PUSH_CHUNK, orders - start) }, (_, i) =>
        JSON.stringify({ orderId: newOrderId(saleId), saleId, userId: `bench-${start + i}`, quantity: 1, reservedAt }),
      );
      await redis.lpush(k.queue, ...chunk);
    }
    for (let i = 0; i < workers; i++) {
      children.push(spawnWorker({ REDIS_PREFIX: prefix, WORKER_SYNC_INTERVAL_MS: '0', WORKER_BATCH_DELAY_MS: '0' }));
    }
    await Promise.all(children.map((c) => c.waitFor((l) => l.event === 'worker_started', 30_000)));

    const batches: LogLine[] = [];
    let stored = 0;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`drain bench: ${stored} of ${orders} stored after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      for (const c of children) {
        c.onLine((line) => {
          if (line.event !== 'batch' || line.sale !== saleId) return;
          batches.push(line);
          stored += Number(line.inserted);
          if (stored >= orders) {
            clearTimeout(timer);
            resolve();
          }
        });
        void c.exited.then(({ code }) => reject(new Error(`drain bench: a worker exited early (code ${code})`)));
      }
    });
    await redis.sadd(sales, saleId);
    await done;

    const first = Math.min(...batches.map((b) => Date.parse(String(b.time)) - Number(b.ms)));
    const last = Math.max(...batches.map((b) => Date.parse(String(b.time))));
    const ms = Math.max(1, last - first);
    const rows = await prisma.order.count({ where: { saleId } });
    if (rows !== orders) throw new Error(`drain bench: ${rows} rows for ${orders} orders`);
    return { orders, workers, ms, ordersPerSecond: Math.round((orders / ms) * 1000) };
  } finally {
    for (const c of children) c.child.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
    await redis.srem(sales, saleId);
    await redis.unlink(k.queue, k.consumers, k.dead);
    redis.disconnect();
    await prisma.order.deleteMany({ where: { saleId } });
    await prisma.sale.delete({ where: { id: saleId } });
  }
}

async function main() {
  const { values } = parseArgs({
    options: { orders: { type: 'string', default: String(DEFAULT_ORDERS) }, workers: { type: 'string', default: '1,2' } },
  });
  const orders = Number(values.orders);
  const counts = values.workers.split(',').map(Number);
  if (!Number.isInteger(orders) || orders < 1 || counts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error('usage: bench/drain.ts [--orders N] [--workers 1,2]');
  }
  // A shared machine is noisy: the load before the run goes into the report beside the figures.
  const loadBefore = loadavg().map((l) => Math.round(l * 100) / 100);
  const results: DrainBenchResult[] = [];
  for (const workers of counts) {
    const r = await runDrainBench({ orders, workers });
    results.push(r);
    console.log(`drain: ${r.orders} orders, ${r.workers} worker(s): ${r.ms} ms, ${r.ordersPerSecond} orders/s`);
  }
  const dir = new URL('./results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const report = { bench: 'drain', date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadBefore, results };
  await writeFile(new URL('drain.json', dir), `${JSON.stringify(report, null, 2)}\n`);
  console.log('drain: wrote bench/results/drain.json');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  } finally {
    await prisma.$disconnect();
  }
}
