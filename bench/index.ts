// npm run bench: the rush, end to end, against the production build.
//
// Starts the production launcher (scripts/start.mjs: N web processes + the order worker) on
// 127.0.0.1:BENCH_PORT (default 3200) and, for the comparison, one `next start` on the
// machine's own Node (BENCH_SYSTEM_NODE, default /usr/bin/node) on BENCH_PORT+1. It owns
// both and stops both. It uses its own Redis prefix (fgbench) and database (flashgate_bench),
// wiped before and after. Prints a table and writes bench/results/latest.json.
//
// `npm run bench -- --smoke` (or BENCH_SMOKE=1): every scenario for about a second at 10
// connections, no thresholds, written to bench/results/smoke.json (what CI runs).
import './lib/env';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { prisma } from '../lib/db/client';
import { applyMigrations } from '../lib/db/migrate';
import { redis } from '../lib/redis/client';
import { runClusterBench } from './cluster';
import { runDrainBench } from './drain';
import { benchEnv } from './lib/env';
import { cpuPerRequest, sampleCpu, type CpuSample } from './lib/cpu';
import { countOf, fire, Shoppers, type LoadResult, type Shot } from './lib/load';
import { reserveDirect } from './lib/redisAlone';
import { createBenchSale, postgresFigures, redisFigures, wipeBenchData } from './lib/sales';
import { hasBuild, PROJECT_NODE, ROOT, startLauncher, startNextStart, type Server } from './lib/servers';

const smoke = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
const port = Number(process.env.BENCH_PORT ?? 3200);
const systemNode = process.env.BENCH_SYSTEM_NODE ?? '/usr/bin/node';
// Seconds of each measured run (its request count is set from a warm-up's rate).
const MEASURE_S = smoke ? 1 : 5;
// Warm-ups are counted too (a run cut off by time would leave requests in flight, unchecked).
const warmAmount = (connections: number) => connections * (smoke ? 10 : 20);
const CONNECTIONS = smoke ? [10] : [50, 200];
const COMPARE_CONNECTIONS = smoke ? 10 : 100;
const FIXED_RATE_S = smoke ? 1 : 8;
const BODY = '{"quantity":1}';
const redisPort = new URL(benchEnv.REDIS_URL).port || '6379';

type Check = { ok: boolean; detail: string };
type Measured = LoadResult & { cpu?: CpuSample };
type Row = Measured & { scenario: string; server: string; connections: number; rate?: number; check?: Check };
const rows: Row[] = [];
const servers: Server[] = [];
const say = (line: string) => console.log(`[bench] ${line}`);
let loadBefore: number[] = [];

function requireBuild() {
  if (hasBuild()) return;
  throw new Error('no production build: run `npm run build` first (the bench measures the build, it does not make one)');
}

async function stopAll() {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
}

/** A recorded run: the load, and the CPU each process group spent per answered request. */
async function measured(server: Server, shot: Shot): Promise<Measured> {
  const before = sampleCpu(server.child.pid, redisPort);
  const result = await fire(server.url, shot);
  return { ...result, cpu: cpuPerRequest(before, sampleCpu(server.child.pid, redisPort), result.answered) };
}


/**
 * Every answer of one sale's runs (warm-up included), for the oversell check: reservations
 * == 202s (one unit each) == min(stock, requests answered 202 or 409). A request that failed
 * otherwise (5xx, connection error) must have reserved nothing; the row says how many did.
 */
class Tally {
  accepted = 0;
  refused = 0;
  failed = 0;
  sent = 0;

  add<R extends LoadResult>(r: R): R {
    this.accepted += countOf(r, 202);
    this.refused += countOf(r, 409);
    this.failed += r.answered + r.errors - countOf(r, 202) - countOf(r, 409);
    this.sent += r.answered + r.errors;
    return r;
  }

  check(reserved: number, stock: number, extra: (string | false)[]): Check {
    const expected = Math.min(stock, this.accepted + this.refused);
    const problems = [
      reserved !== this.accepted && `reserved ${reserved} but ${this.accepted} answered 202`,
      reserved !== expected && `reserved ${reserved}, expected min(stock ${stock}, requests answered ${this.accepted + this.refused})`,
      ...extra,
    ].filter(Boolean);
    const failed = this.failed ? `; ${this.failed} failed (5xx/error), reserving nothing` : '';
    return {
      ok: problems.length === 0,
      detail: problems.length ? problems.join('; ') : `reserved ${reserved} = 202s = orders, of ${this.sent} requests${failed}`,
    };
  }
}

/**
 * A Redis-design purchase scenario on a fresh sale: the warm-up and the measured run both buy
 * from it, so the whole sale is checked: Booked == 202s (one unit each) == orders in Redis,
 * Booked <= Total, and Booked == min(stock, requests) (0 for a sale that has not started).
 */
async function purchase(server: Server, scenario: string, saleOpts: Parameters<typeof createBenchSale>[1], shoppers: Shoppers, connections: number) {
  const sale = await createBenchSale(scenario, saleOpts);
  const start = await redisFigures(sale.id);
  shoppers.rewind();
  const t = new Tally();
  const tally = async (shot: Shot, record = false) => t.add(record ? await measured(server, shot) : await fire(server.url, shot));
  const shot: Shot = { path: `/api/sales/${sale.id}/orders`, body: BODY, shoppers, connections };
  const warm = await tally({ ...shot, amount: warmAmount(connections) });
  const amount = Math.max(smoke ? 100 : 1_000, Math.round(warm.rps * MEASURE_S));
  await shoppers.ensure(warm.answered + warm.errors + amount + connections);
  const result = await tally({ ...shot, amount }, true);
  const end = await redisFigures(sale.id);
  const reserved = end.booked - start.booked;
  const left = start.total - start.booked;
  const notStarted = saleOpts?.startsAt && saleOpts.startsAt.getTime() > Date.now();
  return record(server, scenario, connections, result, t.check(reserved, notStarted ? 0 : left, [
    end.orders - start.orders !== reserved && `${end.orders - start.orders} new orders in Redis for ${reserved} reserved`,
    end.booked > end.total && `oversold: Booked ${end.booked} > Total ${end.total}`,
  ]));
}

function record(server: Server, scenario: string, connections: number, result: Measured, check?: Check, rate?: number) {
  const row: Row = { scenario, server: server.name, connections, rate, ...result, check };
  rows.push(row);
  say(
    `${scenario.padEnd(24)} c=${String(connections).padEnd(3)} ${String(result.rps).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms` +
      (check ? `  ${check.ok ? 'ok' : 'FAILED'}: ${check.detail}` : ''),
  );
  return row;
}

/** The naive PostgreSQL design on a fresh row: units taken == 202s == orders stored, never below 0. */
async function naivePurchase(server: Server, scenario: string, stock: number, shoppers: Shoppers, connections: number, fixedAmount?: number) {
  const sale = await createBenchSale(scenario, { stock, postgresOnly: true });
  shoppers.rewind();
  const t = new Tally();
  const shot: Shot = { path: `/api/bench/naive-purchase/${sale.id}`, body: BODY, shoppers, connections };
  let amount = fixedAmount;
  if (!amount) {
    const warm = t.add(await fire(server.url, { ...shot, amount: warmAmount(connections) }));
    amount = Math.max(smoke ? 100 : 500, Math.round(warm.rps * MEASURE_S));
  }
  await shoppers.ensure(amount + t.sent + connections);
  const result = t.add(await measured(server, { ...shot, amount }));
  const end = await postgresFigures(sale.id);
  const taken = stock - end.left;
  return record(server, scenario, connections, result, t.check(taken, stock, [
    end.units !== taken && `${end.units} units in orders for ${taken} taken`,
    end.left < 0 && `oversold: stock ${end.left}`,
  ]));
}

/** A plain scenario (no reservation to check). */
async function plain(server: Server, scenario: string, shot: Shot) {
  const warm = await fire(server.url, { ...shot, amount: warmAmount(shot.connections) });
  const amount = Math.max(smoke ? 100 : 1_000, Math.round(warm.rps * MEASURE_S));
  if (shot.shoppers) await shot.shoppers.ensure(amount + warm.answered + shot.connections);
  return record(server, scenario, shot.connections, await measured(server, { ...shot, amount }));
}

async function versions() {
  const info = await redis.info('server');
  const [{ server_version: pg }] = await prisma.$queryRawUnsafe<{ server_version: string }[]>('SHOW server_version');
  let systemNodeVersion: string | null = null;
  try {
    systemNodeVersion = execFileSync(systemNode, ['--version'], { encoding: 'utf8' }).trim();
  } catch {}
  return {
    node: execFileSync(PROJECT_NODE, ['--version'], { encoding: 'utf8' }).trim(),
    systemNode: systemNodeVersion,
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    postgres: pg,
    next: (await import('next/package.json', { with: { type: 'json' } })).default.version,
  };
}

const ratio = (a?: Row, b?: Row) => (a && b && b.rps > 0 ? Math.round((a.rps / b.rps) * 100) / 100 : null);
const find = (scenario: string, connections: number, server = 'production launcher') =>
  rows.find((r) => r.scenario === scenario && r.connections === connections && r.server === server && r.rate === undefined);

function printTable() {
  const statuses = (r: Row) =>
    Object.entries(r.statuses)
      .map(([s, n]) => `${s}:${n}`)
      .join(' ') + (r.errors ? ` err:${r.errors}` : '');
  console.log('\n| scenario | server | conns | req/s | p50 ms | p99 ms | max ms | statuses | oversell check |');
  console.log('| --- | --- | --: | --: | --: | --: | --: | --- | --- |');
  for (const r of rows) {
    const name = r.rate ? `${r.scenario} @ ${r.rate}/s` : r.scenario;
    const check = r.check ? `${r.check.ok ? 'ok' : '**FAILED**'}: ${r.check.detail}` : '';
    console.log(`| ${name} | ${r.server} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.max} | ${statuses(r)} | ${check} |`);
  }
  // Redis and PostgreSQL serve anyone else using them at the time too; the rest is this run's.
  const groups = ['web', 'worker', 'redis', 'postgres', 'load generator'];
  console.log(`\nCPU µs per answered request\n| scenario | server | conns | ${groups.join(' | ')} |`);
  console.log(`| --- | --- | --: |${groups.map(() => ' --: |').join('')}`);
  for (const r of rows.filter((row) => row.cpu)) {
    const name = r.rate ? `${r.scenario} @ ${r.rate}/s` : r.scenario;
    console.log(`| ${name} | ${r.server} | ${r.connections} | ${groups.map((g) => r.cpu![g] ?? '').join(' | ')} |`);
  }
}

async function main() {
  const startedAt = new Date();
  loadBefore = os.loadavg();
  requireBuild();
  say(`load before the run: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.availableParallelism()} CPUs)`);
  await applyMigrations({ connectionString: benchEnv.DATABASE_URL, migrationsDir: path.join(ROOT, 'prisma/migrations') });
  await wipeBenchData(benchEnv.REDIS_PREFIX, benchEnv.DATABASE_URL);
  const shoppers = new Shoppers(`bench-${Date.now().toString(36)}`);
  await shoppers.ensure(smoke ? 2_000 : 40_000);

  // 1. The production launcher: every scenario at 50 and 200 connections.
  const launcher = await startLauncher({ port, env: benchEnv });
  servers.push(launcher);
  const webProcesses = Number(process.env.WEB_CONCURRENCY) || os.availableParallelism();
  say(`production launcher up: ${webProcesses} web processes + order worker on ${launcher.url}`);
  // Warm every web process and the JIT before anything is recorded.
  const warmSale = await createBenchSale('warm-up');
  await fire(launcher.url, { path: '/api/bench/floor', body: BODY, shoppers, connections: 50, seconds: smoke ? 0.5 : 3 });
  await fire(launcher.url, { path: `/api/sales/${warmSale.id}/orders`, body: BODY, shoppers, connections: 50, seconds: smoke ? 0.5 : 3 });

  const statusSale = await createBenchSale('status');
  for (const c of CONNECTIONS) {
    await plain(launcher, 'floor', { path: '/api/bench/floor', body: BODY, shoppers, connections: c });
    await purchase(launcher, 'purchase: hot path', { stock: 5_000_000 }, shoppers, c);
    await purchase(launcher, 'purchase: sold out', { stock: 100, booked: 100 }, shoppers, c);
    await purchase(launcher, 'purchase: not started', { startsAt: new Date(Date.now() + 3_600_000) }, shoppers, c);
    await plain(launcher, 'sale status JSON', { method: 'GET', path: `/api/sales/${statusSale.id}`, connections: c });
    await naivePurchase(launcher, 'naive PostgreSQL purchase', 5_000_000, shoppers, c);
  }
  // Selling out under load: the boundary where an oversell would show.
  const sellThroughConns = CONNECTIONS.at(-1)!;
  await purchase(launcher, 'sell-through (1,000 units)', { stock: smoke ? 50 : 1_000 }, shoppers, sellThroughConns);
  await naivePurchase(launcher, 'naive sell-through (1,000)', smoke ? 50 : 1_000, shoppers, sellThroughConns, smoke ? 100 : 3_000);

  // 2. Fixed arrival rate: latency without the queue a closed loop builds.
  const floorMax = Math.max(...CONNECTIONS.map((c) => find('floor', c)?.rps ?? 0));
  const hotMax = Math.max(...CONNECTIONS.map((c) => find('purchase: hot path', c)?.rps ?? 0));
  for (const [label, base] of [['80% of floor max', floorMax], ['80% of hot-path max', hotMax]] as const) {
    const rate = Math.max(10, Math.round(base * 0.8));
    const sale = await createBenchSale(`fixed rate ${label}`, { stock: 5_000_000 });
    shoppers.rewind();
    await shoppers.ensure(rate * FIXED_RATE_S + 1_000);
    const result = await measured(launcher, {
      path: `/api/sales/${sale.id}/orders`, body: BODY, shoppers, connections: smoke ? 10 : 200, rate, amount: rate * FIXED_RATE_S,
    });
    record(launcher, `purchase: hot path, ${label}`, smoke ? 10 : 200, result, undefined, rate);
  }

  // 3. Issue 10's comparison at 100 connections: the launcher against one `next start`.
  await plain(launcher, 'floor', { path: '/api/bench/floor', body: BODY, shoppers, connections: COMPARE_CONNECTIONS });
  await purchase(launcher, 'purchase: hot path', { stock: 5_000_000 }, shoppers, COMPARE_CONNECTIONS);
  await purchase(launcher, 'purchase: sold out', { stock: 100, booked: 100 }, shoppers, COMPARE_CONNECTIONS);
  await purchase(launcher, 'purchase: not started', { startsAt: new Date(Date.now() + 3_600_000) }, shoppers, COMPARE_CONNECTIONS);
  // Redis alone, while the launcher idles (its worker may still be draining).
  const directSale = await createBenchSale('redis alone', { stock: 10_000_000 });
  for (const c of CONNECTIONS) {
    const r = await reserveDirect(directSale.id, c, smoke ? 0.5 : 3);
    rows.push({ scenario: 'Redis alone (EVALSHA, pipelined)', server: 'bench process', connections: c, ...r });
    say(`Redis alone c=${c} ${r.rps} calls/s p50 ${r.p50} ms p99 ${r.p99} ms`);
  }
  await stopAll();

  let baseline: Server | null = null;
  if (existsSync(systemNode)) {
    baseline = await startNextStart({ port: port + 1, env: benchEnv, node: systemNode });
    servers.push(baseline);
    baseline.name = `next start, Node ${execFileSync(systemNode, ['--version'], { encoding: 'utf8' }).trim()}`;
    await fire(baseline.url, { path: '/api/bench/floor', body: BODY, shoppers, connections: 50, seconds: smoke ? 0.5 : 3 });
    await plain(baseline, 'floor', { path: '/api/bench/floor', body: BODY, shoppers, connections: COMPARE_CONNECTIONS });
    await purchase(baseline, 'purchase: hot path', { stock: 5_000_000 }, shoppers, COMPARE_CONNECTIONS);
    await stopAll();
  } else {
    say(`${systemNode} not found: no next start comparison`);
  }

  // The worker's drain rate (issue 3) and the cluster spread (issue 7), each owning its own Redis keys or servers.
  const drain = [await runDrainBench({ smoke, workers: 1 }), await runDrainBench({ smoke, workers: 2 })];
  const cluster = await runClusterBench({ smoke });

  // Ratios and targets.
  const top = CONNECTIONS.at(-1)!;
  const baseFloor = baseline ? find('floor', COMPARE_CONNECTIONS, baseline.name) : undefined;
  const ratios = {
    [`hot path / floor (c=${top})`]: { value: ratio(find('purchase: hot path', top), find('floor', top)), target: 0.85 },
    [`sold out / floor (c=${top})`]: { value: ratio(find('purchase: sold out', top), find('floor', top)), target: 0.9 },
    [`not started / floor (c=${top})`]: { value: ratio(find('purchase: not started', top), find('floor', top)), target: 0.9 },
    [`purchase / naive PostgreSQL (c=${top})`]: {
      value: ratio(find('purchase: hot path', top), find('naive PostgreSQL purchase', top)),
      target: 10,
    },
    [`launcher hot path / next start floor (c=${COMPARE_CONNECTIONS})`]: {
      value: ratio(find('purchase: hot path', COMPARE_CONNECTIONS), baseFloor),
      target: 2.0,
    },
    [`launcher sold out / next start floor (c=${COMPARE_CONNECTIONS})`]: {
      value: ratio(find('purchase: sold out', COMPARE_CONNECTIONS), baseFloor),
      target: 2.2,
    },
    [`launcher not started / next start floor (c=${COMPARE_CONNECTIONS})`]: {
      value: ratio(find('purchase: not started', COMPARE_CONNECTIONS), baseFloor),
      target: 2.2,
    },
  };
  const fixed = rows.filter((r) => r.rate !== undefined).map((r) => ({ scenario: r.scenario, rate: r.rate, p50: r.p50, p99: r.p99, target: 'p99 < 50 ms' }));

  printTable();
  console.log('\n| ratio | value | target |\n| --- | --: | --: |');
  for (const [name, { value, target }] of Object.entries(ratios)) {
    console.log(`| ${name} | ${value ?? 'n/a'} | >= ${target}${value !== null && value < target ? ' (missed)' : ''} |`);
  }
  for (const f of fixed) console.log(`fixed rate: ${f.scenario} at ${f.rate}/s: p50 ${f.p50} ms, p99 ${f.p99} ms (${f.target})`);
  for (const d of drain) console.log('drain:', JSON.stringify(d));
  console.log('\n| Redis setup (cluster bench) | purchases/s | p50 ms | p99 ms | check |\n| --- | --: | --: | --: | --- |');
  for (const r of cluster.rows) console.log(`| ${r.setup} | ${r.purchasesPerSecond} | ${r.p50} | ${r.p99} | ${r.check.ok ? 'ok' : r.check.detail} |`);

  const versionInfo = await versions();
  const failed = [...rows, ...cluster.rows.map((r) => ({ ...r, scenario: `cluster: ${r.setup}`, connections: 200 }))].filter(
    (r) => r.check && !r.check.ok,
  );
  const results = {
    date: startedAt.toISOString(),
    smoke,
    machine: {
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model,
      note: 'shared 2-core machine: other engineers\' test runs may share the CPU; the load generator runs on the same machine',
      loadAverageBefore: loadBefore,
      loadAverageAtEnd: os.loadavg(),
    },
    versions: versionInfo,
    setup: {
      launcher: `${webProcesses} web processes (node:cluster, standalone server.js) + order worker, Node ${versionInfo.node}`,
      measuredRunSeconds: MEASURE_S,
      loadGenerator: 'autocannon 9, one process, on the same machine',
      shoppers: 'a distinct signed session cookie per request; maxPerUser 1, so every hot-path request is a new shopper',
    },
    rows,
    ratios,
    fixedRate: fixed,
    drain,
    cluster,
    oversell: failed.length === 0 ? 'none' : failed.map((r) => `${r.scenario} c=${r.connections}: ${r.check!.detail}`),
  };
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  const out = path.join(ROOT, 'bench/results', smoke ? 'smoke.json' : 'latest.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  say(`wrote ${path.relative(ROOT, out)}`);
  if (failed.length) {
    console.error('[bench] oversell check FAILED:', results.oversell);
    process.exitCode = 1;
  }
}

try {
  await main();
} finally {
  await stopAll();
  await wipeBenchData(benchEnv.REDIS_PREFIX, benchEnv.DATABASE_URL).catch(() => {});
  await Promise.allSettled([redis.quit(), prisma.$disconnect()]);
}
