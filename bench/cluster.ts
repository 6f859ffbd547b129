// npm run bench:cluster [-- --smoke] [--sales 12] [--concurrency 200] [--seconds 5]:
// hot-path purchases per second spread over several sales, on the 3-shard Redis Cluster
// against one Redis, from one Node process (no HTTP: Next.js, not Redis, is the ceiling of the
// web path). Each purchase is what reserveStock sends: on the
// cluster the reserve script on the sale's master, after the gate's pre-check on a replica
// when the sale was not seen open in the last second (so about once per sale per second);
// the cluster is also measured with the pre-check on every purchase, what a naive
// read-write split would cost.
//
// It starts the topologies it needs with scripts/redis-topology.sh (single on 7300, cluster on
// 7000-7005) and stops those it started; one already running is used and left running.
// Checked per run: Booked == purchases answered "reserved" == orders held, per sale; one
// sell-through per topology sells exactly its stock. On a shared 2-core machine the three
// masters, their replicas and the load generator share the same two cores: the figure shows
// that the spread is correct (sales on every shard, every purchase counted) far more than it
// shows a speed-up, which needs the shards on their own cores or machines.
//
// `runClusterBench(opts)` is exported for bench/index.ts; the CLI prints a table and writes
// bench/results/cluster.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Cluster } from 'ioredis';
import { env, type Env } from '../lib/config';
import { createRedis, createReplicaReads, type RedisClient, type ReplicaReads, type TopologyConfig } from '../lib/redis/connect';
import { reserveKeys, saleKeys } from '../lib/redis/keys';
import { newOrderId, newSaleId } from '../lib/ids';
import { loadSaleIntoRedis } from '../lib/sale/load';
import { toReserveOutcome } from '../lib/sale/reserve';
import { ensureTopology, stopTopology, topologyEnv, type LocalTopology } from './lib/topology';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type ClusterBenchOptions = {
  /** about a second per run at low concurrency, for CI */
  smoke?: boolean;
  /** sales the purchases are spread over (default 12) */
  sales?: number;
  /** purchases in flight (default 200) */
  concurrency?: number;
  /** measured seconds per run (default 5; 1 with smoke) */
  seconds?: number;
};

export type ClusterBenchRow = {
  setup: string;
  purchasesPerSecond: number;
  p50: number;
  p99: number;
  purchases: number;
  /** sales per shard and purchases per shard (one entry on one Redis) */
  shards: { node: string; sales: number; purchases: number }[];
  check: { ok: boolean; detail: string };
};

export type ClusterBenchResult = {
  date: string;
  machine: { cpus: number; loadAverage: number[]; note: string };
  options: Required<Omit<ClusterBenchOptions, 'smoke'>> & { smoke: boolean };
  rows: ClusterBenchRow[];
  /** cluster (as reserveStock runs) purchases/s over one Redis's */
  ratio: number | null;
};

const NOTE =
  'shared 2-core machine: 3 cluster masters, 3 replicas and the load generator share two cores, ' +
  'so this shows that the spread over shards is correct more than it shows a speed-up';

type Target = {
  name: string;
  topology: 'single' | 'cluster';
  primary: RedisClient;
  reads: ReplicaReads;
  precheck: 'never' | 'unless seen open' | 'always';
  /** sale -> until when it counts as seen open (reserveStock's rule) */
  openUntil: Map<string, number>;
};

function topologySettings(topology: 'single' | 'cluster'): TopologyConfig {
  const settings = topologyEnv(topology);
  return {
    ...env,
    REDIS_TOPOLOGY: topology,
    REDIS_URL: settings.REDIS_URL ?? env.REDIS_URL,
    REDIS_CLUSTER_NODES: settings.REDIS_CLUSTER_NODES?.split(',') ?? [],
  } satisfies Partial<Env>;
}

async function whenReady(client: RedisClient): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Redis not ready within 10 s')), 10_000);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function benchSales(primary: RedisClient, count: number, stock: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => newSaleId());
  const startsAt = new Date(Date.now() - 60_000);
  for (const id of ids) {
    await loadSaleIntoRedis(
      { id, name: 'cluster bench', description: '', imageUrl: '', priceCents: 100, stock, startsAt, endsAt: null, maxPerUser: 1, flag: 'armed' },
      { client: primary },
    );
  }
  return ids;
}

/** One purchase as reserveStock makes it (its refusal cache never answers on the hot path). */
async function purchase(t: Target, saleId: string, userId: string): Promise<string> {
  const k = saleKeys(saleId);
  const seenOpen = (t.openUntil.get(saleId) ?? 0) > performance.now();
  if (t.precheck === 'always' || (t.precheck === 'unless seen open' && !seenOpen)) {
    const [state] = await t.reads.pick().saleGate(k.meta, k.stock);
    if (state !== undefined && state !== 'live') return String(state);
  }
  const outcome = toReserveOutcome(await t.primary.reserve(...reserveKeys(k), saleId, userId, 1, newOrderId(saleId), ''));
  if (outcome.ok) t.openUntil.set(saleId, performance.now() + 1_000);
  return outcome.ok ? 'reserved' : outcome.code;
}

async function nodeOf(t: Target, saleId: string): Promise<string> {
  if (t.topology === 'single') return 'one Redis';
  const cluster = t.primary as Cluster;
  return cluster.slots[Number(await cluster.cluster('KEYSLOT', saleKeys(saleId).meta))][0];
}

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const round2 = (ms: number) => Math.round(ms * 100) / 100;

async function measure(t: Target, opts: Required<Omit<ClusterBenchOptions, 'smoke'>>): Promise<ClusterBenchRow> {
  const saleIds = await benchSales(t.primary, opts.sales, 10_000_000);
  const reservedBySale = new Map(saleIds.map((id) => [id, 0]));
  const latencies: number[] = [];
  const refusals: Record<string, number> = {};
  let next = 0;
  const run = async (untilMs: number, record: boolean) => {
    const loop = async () => {
      while (performance.now() < untilMs) {
        const n = next++;
        const saleId = saleIds[n % saleIds.length];
        const t0 = performance.now();
        const answer = await purchase(t, saleId, `${t.name}-${n}`);
        if (answer === 'reserved') reservedBySale.set(saleId, reservedBySale.get(saleId)! + 1);
        else refusals[answer] = (refusals[answer] ?? 0) + 1;
        if (record) latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, loop));
  };
  await run(performance.now() + Math.min(2_000, opts.seconds * 400), false); // warm-up (counted in the check)
  const started = performance.now();
  await run(started + opts.seconds * 1000, true);
  const elapsed = (performance.now() - started) / 1000;

  // Every purchase answered "reserved" is in Booked and in the orders hash, sale by sale.
  const problems: string[] = [];
  const shards = new Map<string, { sales: number; purchases: number }>();
  for (const saleId of saleIds) {
    const k = saleKeys(saleId);
    const [booked, orders] = await Promise.all([t.primary.hget(k.stock, 'Booked'), t.primary.hlen(k.orders)]);
    const reserved = reservedBySale.get(saleId)!;
    if (Number(booked) !== reserved || orders !== reserved) problems.push(`${saleId}: Booked ${booked}, orders ${orders}, reserved ${reserved}`);
    const node = await nodeOf(t, saleId);
    const s = shards.get(node) ?? { sales: 0, purchases: 0 };
    shards.set(node, { sales: s.sales + 1, purchases: s.purchases + reserved });
  }
  if (Object.keys(refusals).length > 0) problems.push(`refused: ${JSON.stringify(refusals)}`);
  // A sell-through on one sale: exactly its stock, whatever the topology.
  const [sellOut] = await benchSales(t.primary, 1, 500);
  const answers = await Promise.all(Array.from({ length: 2_000 }, (_, i) => purchase(t, sellOut, `${t.name}-sell-${i}`)));
  const sold = answers.filter((a) => a === 'reserved').length;
  const bookedAfter = Number(await t.primary.hget(saleKeys(sellOut).stock, 'Booked'));
  if (sold !== 500 || bookedAfter !== 500) problems.push(`sell-through: ${sold} reserved, Booked ${bookedAfter}, stock 500`);

  const sorted = Float64Array.from(latencies).sort();
  const total = [...reservedBySale.values()].reduce((a, b) => a + b, 0);
  return {
    setup: t.name,
    purchasesPerSecond: Math.round(latencies.length / elapsed),
    p50: round2(percentile(sorted, 0.5)),
    p99: round2(percentile(sorted, 0.99)),
    purchases: latencies.length,
    shards: [...shards].map(([node, s]) => ({ node, ...s })).sort((a, b) => a.node.localeCompare(b.node)),
    check: {
      ok: problems.length === 0,
      detail: problems.length ? problems.join('; ') : `Booked == reserved == orders on ${saleIds.length} sales (${total} purchases); sell-through sold exactly 500`,
    },
  };
}

/** The cluster figure: one Redis, the 3-shard cluster with and without the pre-check. */
export async function runClusterBench(options: ClusterBenchOptions = {}): Promise<ClusterBenchResult> {
  const smoke = options.smoke ?? false;
  const opts = {
    sales: options.sales ?? 12,
    concurrency: options.concurrency ?? (smoke ? 20 : 200),
    seconds: options.seconds ?? (smoke ? 1 : 5),
  };
  const started = (['single', 'cluster'] as LocalTopology[]).filter((t) => ensureTopology(t));
  const targets: Target[] = [];
  try {
    const single = createRedis('request', topologySettings('single'));
    const cluster = createRedis('request', topologySettings('cluster'));
    const clusterReads = createReplicaReads(cluster, topologySettings('cluster'));
    const singleReads = createReplicaReads(single, topologySettings('single'));
    targets.push(
      { name: 'one Redis', topology: 'single', primary: single, reads: singleReads, precheck: 'never', openUntil: new Map() },
      { name: 'cluster, 3 shards, as reserveStock runs', topology: 'cluster', primary: cluster, reads: clusterReads, precheck: 'unless seen open', openUntil: new Map() },
      { name: 'cluster, 3 shards, pre-check on every purchase', topology: 'cluster', primary: cluster, reads: clusterReads, precheck: 'always', openUntil: new Map() },
    );
    for (const t of targets) {
      t.primary.on('error', () => {});
      await whenReady(t.primary);
    }
    await new Promise((r) => setTimeout(r, 1_000)); // the cluster reader has its slots too
    const rows: ClusterBenchRow[] = [];
    for (const t of targets) rows.push(await measure(t, opts));
    const [one, clustered] = rows;
    return {
      date: new Date().toISOString(),
      machine: { cpus: os.availableParallelism(), loadAverage: os.loadavg(), note: NOTE },
      options: { ...opts, smoke },
      rows,
      ratio: one.purchasesPerSecond > 0 ? Math.round((clustered.purchasesPerSecond / one.purchasesPerSecond) * 100) / 100 : null,
    };
  } finally {
    const closing = new Set<RedisClient>(targets.map((t) => t.primary));
    await Promise.allSettled([...new Set(targets.map((t) => t.reads))].map((r) => r.close()));
    await Promise.allSettled([...closing].map((c) => c.quit()));
    for (const topology of started) stopTopology(topology);
  }
}

function printTable(result: ClusterBenchResult): void {
  console.log('\n| setup | purchases/s | p50 ms | p99 ms | sales (purchases) per shard | check |');
  console.log('| --- | --: | --: | --: | --- | --- |');
  for (const r of result.rows) {
    const shards = r.shards.map((s) => `${s.node}: ${s.sales} (${s.purchases})`).join(', ');
    console.log(`| ${r.setup} | ${r.purchasesPerSecond} | ${r.p50} | ${r.p99} | ${shards} | ${r.check.ok ? 'ok' : '**FAILED**'}: ${r.check.detail} |`);
  }
  console.log(`\ncluster / one Redis: ${result.ratio ?? 'n/a'} (${result.options.sales} sales, ${result.options.concurrency} in flight, ${result.options.seconds} s each)`);
  console.log(`note: ${NOTE}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      sales: { type: 'string' },
      concurrency: { type: 'string' },
      seconds: { type: 'string' },
    },
  });
  const result = await runClusterBench({
    smoke: values.smoke,
    sales: values.sales ? Number(values.sales) : undefined,
    concurrency: values.concurrency ? Number(values.concurrency) : undefined,
    seconds: values.seconds ? Number(values.seconds) : undefined,
  });
  printTable(result);
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  const out = path.join(ROOT, 'bench/results', values.smoke ? 'cluster-smoke.json' : 'cluster.json');
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`[bench:cluster] wrote ${path.relative(ROOT, out)}`);
  if (result.rows.some((r) => !r.check.ok)) process.exitCode = 1;
  process.exit();
}
