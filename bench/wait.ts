// npm run bench:wait [-- --smoke]: what `WAIT 1 0` (do not answer until a replica has the
// reservation) would cost on the read-write split (scripts/redis-topology.sh split: a primary
// and two replicas on this machine). Four runs of the reserve script on the primary:
//   - one at a time, without and with a WAIT after each: the latency a shopper would add;
//   - 200 in flight on the one auto-pipelined connection, without WAIT, with a WAIT after each
//     purchase (WAIT blocks the connection, so everything behind it waits too), and with one
//     WAIT per batch (group commit: every purchase answered in a tick waits for the same WAIT).
// Starts the split topology unless it runs, stops it if it started it. Prints a table and
// writes bench/results/wait.json; `runWaitBench(opts)` is exported. docs/topologies.md has the figures.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { env } from '../lib/config';
import { createRedis, type RedisClient } from '../lib/redis/connect';
import { reserveKeys, saleKeys } from '../lib/redis/keys';
import { newOrderId, newSaleId } from '../lib/ids';
import { loadSaleIntoRedis } from '../lib/sale/load';
import { ensureTopology, stopTopology, topologyEnv } from './lib/topology';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type WaitBenchRow = { run: string; inFlight: number; perSecond: number; p50: number; p99: number; calls: number };

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const round2 = (ms: number) => Math.round(ms * 100) / 100;

/** One WAIT for every purchase answered since the last one: a group commit on one connection. */
function groupCommit(primary: RedisClient) {
  let pending: Promise<unknown> | null = null;
  return () => {
    pending ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      pending = null;
      return primary.call('WAIT', 1, 0);
    });
    return pending;
  };
}

export async function runWaitBench({ smoke = false } = {}): Promise<{ date: string; rows: WaitBenchRow[] }> {
  const started = ensureTopology('split');
  // The split's primary, on its own: only the primary takes part in a WAIT.
  const primary = createRedis('request', { ...env, REDIS_TOPOLOGY: 'single', REDIS_URL: topologyEnv('split').REDIS_URL });
  primary.on('error', () => {});
  try {
    await new Promise((resolve) => primary.once('ready', resolve));
    const saleId = newSaleId();
    await loadSaleIntoRedis(
      { id: saleId, name: 'wait bench', description: '', imageUrl: '', priceCents: 100, stock: 10_000_000, startsAt: new Date(Date.now() - 60_000), endsAt: null, maxPerUser: 1, flag: 'armed' },
      { client: primary },
    );
    const keys = reserveKeys(saleKeys(saleId));
    const seconds = smoke ? 0.5 : 3;
    let user = 0;
    const commit = groupCommit(primary);
    const modes = {
      none: async () => {},
      'after each': () => primary.call('WAIT', 1, 0),
      'one per batch': commit,
    } as const;

    const rows: WaitBenchRow[] = [];
    const measure = async (run: string, inFlight: number, after: () => Promise<unknown>) => {
      const latencies: number[] = [];
      const until = performance.now() + seconds * 1000;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (performance.now() < until) {
            const s = performance.now();
            await primary.reserve(...keys, saleId, `w${user++}`, 1, newOrderId(saleId), '');
            await after();
            latencies.push(performance.now() - s);
          }
        }),
      );
      const sorted = Float64Array.from(latencies).sort();
      rows.push({
        run,
        inFlight,
        perSecond: Math.round(latencies.length / ((performance.now() - t0) / 1000)),
        p50: round2(percentile(sorted, 0.5)),
        p99: round2(percentile(sorted, 0.99)),
        calls: latencies.length,
      });
    };
    await measure('warm-up', 50, modes.none);
    rows.length = 0;
    await measure('reserve', 1, modes.none);
    await measure('reserve + WAIT 1 0', 1, modes['after each']);
    await measure('reserve', 200, modes.none);
    await measure('reserve + WAIT 1 0 after each', 200, modes['after each']);
    await measure('reserve + one WAIT 1 0 per batch', 200, modes['one per batch']);
    return { date: new Date().toISOString(), rows };
  } finally {
    await primary.quit().catch(() => {});
    if (started) stopTopology('split');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false } } });
  const result = await runWaitBench({ smoke: values.smoke });
  console.log('\n| run | in flight | calls/s | p50 ms | p99 ms |\n| --- | --: | --: | --: | --: |');
  for (const r of result.rows) console.log(`| ${r.run} | ${r.inFlight} | ${r.perSecond} | ${r.p50} | ${r.p99} |`);
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  const out = path.join(ROOT, 'bench/results', values.smoke ? 'wait-smoke.json' : 'wait.json');
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`[bench:wait] wrote ${path.relative(ROOT, out)}`);
  process.exit();
}
