// npm run bench:profile -- [floor|hot|sold-out|status] [seconds]
// One standalone web process under `node --cpu-prof`, loaded at 100 connections for a few
// seconds, stopped cleanly (the profile is written at exit), then summarised: self time by
// where the code lives and the heaviest functions. The .cpuprofile stays in
// bench/results/profiles/ for Chrome DevTools or speedscope.
import './lib/env';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { prisma } from '../lib/db/client';
import { redis } from '../lib/redis/client';
import { benchEnv } from './lib/env';
import { fire, Shoppers, type Shot } from './lib/load';
import { createBenchSale, wipeBenchData } from './lib/sales';
import { assertPortFree, hasBuild, PROJECT_NODE, ROOT, waitHealthy, type Server } from './lib/servers';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

/** Where a function lives: our code, a package, Node itself, or V8's own work (GC, idle). */
function area(url: string, fn: string): string {
  if (!url) return fn === '(garbage collector)' || fn === '(idle)' || fn === '(program)' ? fn : `(native) ${fn || 'anonymous'}`;
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    if (pkg[1] === 'next') return `next: ${/next\/dist\/(?:compiled\/)?([^/]+(?:\/[^/]+)?)/.exec(url)?.[1] ?? 'other'}`;
    return pkg[1];
  }
  if (url.includes('.next/server/chunks')) return 'our code (bundled)';
  return url.replace(/^file:\/\//, '').replace(ROOT, '.');
}

/** user + system CPU time of a process so far (Linux /proc), in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in 1/100 s ticks
}

export function summarise(file: string, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${url ? `${area(url, functionName)}:${lineNumber + 1}` : ''}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  // Inclusive time: each sample counts once for every function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      if (!url || url.startsWith('node:')) continue;
      seen.add(`${functionName || '(anonymous)'} ${area(url, functionName)}:${lineNumber + 1}`);
    }
    for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / total) * 100).toFixed(1)}%`;
  const busy = total - (areas.get('(idle)') ?? 0);
  console.log(`\nprofile ${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled, ${pct(busy)} busy`);
  console.log('\nself time by area (share of all samples)');
  for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${pct(us).padStart(6)}  ${a}`);
  console.log('\nheaviest functions (self time)');
  for (const [f, us] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${pct(us).padStart(6)}  ${f}`);
  if (process.env.PROFILE_INCLUSIVE) {
    const filter = new RegExp(process.env.PROFILE_INCLUSIVE);
    console.log(`\ninclusive time of functions matching /${filter.source}/`);
    for (const [f, us] of [...inclusive].filter(([f]) => filter.test(f)).sort((x, y) => y[1] - x[1]).slice(0, 3 * top)) {
      console.log(`  ${pct(us).padStart(6)}  ${f}`);
    }
  }
}

async function main() {
  const scenario = process.argv[2] ?? 'hot';
  const seconds = Number(process.argv[3] ?? 8);
  if (!hasBuild()) throw new Error('no production build: run `npm run build` first');
  const port = Number(process.env.BENCH_PORT ?? 3200) + 2;
  await assertPortFree(port);
  const dir = path.join(ROOT, 'bench/results/profiles');
  rmSync(dir, { recursive: true, force: true });

  await wipeBenchData(benchEnv.REDIS_PREFIX, benchEnv.DATABASE_URL);
  const shoppers = new Shoppers(`profile-${Date.now().toString(36)}`);
  await shoppers.ensure(60_000);
  const sale = await createBenchSale('profile', scenario === 'sold-out' ? { stock: 10, booked: 10 } : { stock: 5_000_000 });
  const shots: Record<string, Shot> = {
    floor: { path: '/api/bench/floor', body: '{"quantity":1}', shoppers, connections: 100 },
    hot: { path: `/api/sales/${sale.id}/orders`, body: '{"quantity":1}', shoppers, connections: 100 },
    'sold-out': { path: `/api/sales/${sale.id}/orders`, body: '{"quantity":1}', shoppers, connections: 100 },
    status: { method: 'GET', path: `/api/sales/${sale.id}`, connections: 100 },
  };
  const shot = shots[scenario];
  if (!shot) throw new Error(`scenario is one of ${Object.keys(shots).join(', ')}`);

  // With nothing recorded during start-up and warm-up, the profile shows the steady state only.
  // PROFILE_NODE_FLAGS: extra flags for the web process (GC tuning...); PROFILE_OFF=1: measure only.
  const flags = process.env.PROFILE_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const profiling = process.env.PROFILE_OFF !== '1';
  if (profiling) flags.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  const child = spawn(PROJECT_NODE, [...flags, 'scripts/web-process.mjs'], {
    cwd: ROOT,
    env: { ...process.env, ...benchEnv, NODE_ENV: 'production', PORT: String(port), HOSTNAME: '127.0.0.1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const server: Server = {
    name: 'profiled web process',
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => '',
    stop: async () => {
      child.kill('SIGTERM');
      return new Promise((resolve) => child.once('exit', resolve));
    },
  };
  await waitHealthy(server);
  await fire(server.url, { ...shot, seconds: 3 });
  const cpuBefore = cpuMs(child.pid!);
  const r = await fire(server.url, { ...shot, seconds });
  // CPU time per request barely moves when other work shares the machine; req/s does.
  const perRequest = ((cpuMs(child.pid!) - cpuBefore) / r.answered) * 1000;
  console.log(
    `${scenario}: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, statuses ${JSON.stringify(r.statuses)}, ` +
      `${Math.round(perRequest)} µs of web-process CPU per request`,
  );
  await server.stop();
  if (!profiling) return;
  const [file] = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  summarise(path.join(dir, file));
}

try {
  await main();
} finally {
  await wipeBenchData(benchEnv.REDIS_PREFIX, benchEnv.DATABASE_URL).catch(() => {});
  await Promise.allSettled([redis.quit(), prisma.$disconnect()]);
}
