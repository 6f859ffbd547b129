// npm run bench:headers [-- --root DIR] [--requests N]: the CPU one web process spends on a
// request of each hostile header shape (test/hostile/headerShapes.ts: 1,500 cookies, 120
// header lines, a 15.5 KB Cookie header) against a plain GET /api/health, each on a new
// connection. `--root` points at another checkout with its own build (say, a worktree of an
// older commit), so before and after are measured the same way. CPU is the process's user +
// system time from /proc: load on the machine slows a request down but does not add CPU to it.
// Writes bench/results/headers.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HEADER_SHAPES } from '../test/hostile/headerShapes';
import { cpuMicros } from '../test/hostile/launcher';
import { sendRaw } from '../test/hostile/rawHttp';
import { freePort } from '../test/services';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { root: { type: 'string', default: ROOT }, requests: { type: 'string', default: '30' } } });
const root = path.resolve(values.root);
const requests = Number(values.requests);

const port = await freePort();
const web = spawn(path.join(root, 'node_modules/.bin/node'), ['scripts/start.mjs', '--web'], {
  cwd: root,
  env: { ...process.env, PORT: String(port), HOSTNAME: '127.0.0.1' },
  stdio: 'ignore',
});
// One request on a new connection; its status code (0: none). A 1,500-cookie request took ~2.4 s before the gate.
const send = async (headers: [string, string][]) =>
  (await sendRaw({ method: 'GET', target: '/api/health', headers: [['Host', '127.0.0.1'], ...headers] }, { port, timeoutMs: 30_000 })).status ?? 0;
try {
  for (let i = 0; i < 100 && (await send([])) !== 200; i++) await new Promise((r) => setTimeout(r, 300));
  const rows: { shape: string; round: number; microsPerRequest: number; statuses: Record<number, number> }[] = [];
  for (let round = 1; round <= 2; round++) {
    for (const [shape, headers] of Object.entries(HEADER_SHAPES)) {
      for (let i = 0; i < 3; i++) await send(headers); // warm
      const before = cpuMicros(web.pid!);
      const statuses: Record<number, number> = {};
      for (let i = 0; i < requests; i++) {
        const status = await send(headers);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      rows.push({ shape, round, microsPerRequest: Math.round((cpuMicros(web.pid!) - before) / requests), statuses });
    }
  }
  console.log(`web-process CPU per request, ${requests} requests per shape and round, build in ${root}`);
  console.log('| shape | round 1 µs | round 2 µs | answers |\n| --- | --: | --: | --- |');
  for (const shape of Object.keys(HEADER_SHAPES)) {
    const [a, b] = rows.filter((r) => r.shape === shape);
    console.log(`| ${shape} | ${a.microsPerRequest.toLocaleString('en')} | ${b.microsPerRequest.toLocaleString('en')} | ${Object.entries(a.statuses).map(([s, n]) => `${s}×${n}`).join(', ')} |`);
  }
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/headers.json'), JSON.stringify({ at: new Date().toISOString(), root, requests, rows }, null, 2));
} finally {
  web.kill('SIGTERM');
}
