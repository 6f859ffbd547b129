// npm run reconcile [-- --sale <id> ...] [--json]: per sale Redis holds, compare Booked with
// PostgreSQL's confirmed units plus the orders still in Redis (queued, in a worker's hands,
// dead letters). Prints a table; exits 1 when any sale shows a difference, 2 when it cannot run.
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { disconnectPrisma } from '../lib/db/client';
import { createRedis } from '../lib/redis/connect';
import { withTimeout } from '../lib/timeout';
import { reconcileSales, type Reconciliation } from '../lib/sale/reconcile';

const { values } = parseArgs({
  options: { sale: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
});

// The configured topology's primary (or the cluster's masters): what it reads must be current.
const redis = createRedis('request');

function table(rows: Reconciliation[]): string {
  const head = ['sale', 'booked', 'confirmed', 'pending', 'queued', 'dead', 'difference'];
  const body = rows.map((r) => [r.saleId, r.booked, r.confirmed, r.pending, r.queued, r.deadLetters, r.difference].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  return [head, ...body].map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n');
}

try {
  // The first connection error (or silence) stops the run with exit code 2.
  await withTimeout(once(redis, 'ready'), 3_000, () => new Error('Redis did not answer within 3 s'));
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
