// npm run reconcile [-- --sale <id> ...] [--json]: per sale Redis holds, compare Booked with
// PostgreSQL's confirmed units plus the orders still in Redis (queued, in a worker's hands,
// dead letters). Prints a table; exits 1 when any sale shows a difference, 2 when it cannot run.
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { env } from '../lib/config';
import { disconnectPrisma } from '../lib/db/client';
import { defineScripts } from '../lib/redis/scripts';
import { reconcileSales, type Reconciliation } from '../lib/sale/reconcile';

const { values } = parseArgs({
  options: { sale: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
});

const redis = new Redis(env.REDIS_URL, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 1, retryStrategy: () => null });
defineScripts(redis);

function table(rows: Reconciliation[]): string {
  const head = ['sale', 'booked', 'confirmed', 'pending', 'queued', 'dead', 'difference'];
  const body = rows.map((r) => [r.saleId, r.booked, r.confirmed, r.pending, r.queued, r.deadLetters, r.difference].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  return [head, ...body].map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n');
}

try {
  await redis.connect();
  const rows = await reconcileSales({ client: redis, saleIds: values.sale });
  const off = rows.filter((r) => r.difference !== 0);
  if (values.json) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    console.log(rows.length > 0 ? table(rows) : 'no sales in Redis');
    console.log(off.length === 0 ? `reconcile: ${rows.length} sale(s), no difference` : `reconcile: ${off.length} sale(s) differ`);
  }
  process.exitCode = off.length === 0 ? 0 : 1;
} catch (err) {
  console.error(`reconcile: could not run: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
} finally {
  redis.disconnect();
  await disconnectPrisma().catch(() => {});
}
