// npm run bench:headers [-- --root DIR] [--requests N]: the CPU one web process spends on a
// request with hostile header shapes (1,500 cookies, 120 header lines, a 15.5 KB Cookie
// header) against a plain GET /api/health, each on a new connection. `--root` points at another
// checkout with its own build (say, a worktree of an older commit), so before and after are
// measured the same way. CPU is the process's user + system time from /proc: load on the
// machine slows a request down but does not add CPU to it. Writes bench/results/headers.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuMicros } from '../test/hostile/launcher';
import { freePort } from '../test/services';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { root: { type: 'string', default: ROOT }, requests: { type: 'string', default: '30' } } });
const root = path.resolve(values.root);
const requests = Number(values.requests);

const cookies = (n: number, size: number) => Array.from({ length: n }, (_, i) => `c${i}=${'v'.repeat(size)}`).join('; ');
const SHAPES: Record<string, string> = {
  'plain GET /api/health': '',
  '1,500 cookie pairs': `cookie: ${cookies(1_500, 1)}\r\n`,
  '120 header lines': Array.from({ length: 120 }, (_, i) => `x-h${i}: 1\r\n`).join(''),
  'one 15.5 KB Cookie header (31 cookies)': `cookie: ${cookies(31, 490)}\r\n`,
};

/** One request on a new connection; its status code, or 0. */
function send(port: number, head: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(Number(answer.slice(9, 12)) || 0));
    socket.on('error', () => resolve(0));
  });
}

const port = await freePort();
const web = spawn(path.join(root, 'node_modules/.bin/node'), ['scripts/start.mjs', '--web'], {
  cwd: root,
  env: { ...process.env, PORT: String(port), HOSTNAME: '127.0.0.1' },
  stdio: 'ignore',
});
const request = (extra: string) => `GET /api/health HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n${extra}\r\n`;
try {
  for (let i = 0; i < 100 && (await send(port, request(''))) !== 200; i++) await new Promise((r) => setTimeout(r, 300));
  const rows: { shape: string; round: number; microsPerRequest: number; statuses: Record<number, number> }[] = [];
  for (let round = 1; round <= 2; round++) {
    for (const [shape, extra] of Object.entries(SHAPES)) {
      for (let i = 0; i < 3; i++) await send(port, request(extra)); // warm
      const before = cpuMicros(web.pid!);
      const statuses: Record<number, number> = {};
      for (let i = 0; i < requests; i++) {
        const status = await send(port, request(extra));
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      rows.push({ shape, round, microsPerRequest: Math.round((cpuMicros(web.pid!) - before) / requests), statuses });
    }
  }
  console.log(`web-process CPU per request, ${requests} requests per shape and round, build in ${root}`);
  console.log('| shape | round 1 µs | round 2 µs | answers |\n| --- | --: | --: | --- |');
  for (const shape of Object.keys(SHAPES)) {
    const [a, b] = rows.filter((r) => r.shape === shape);
    console.log(`| ${shape} | ${a.microsPerRequest.toLocaleString('en')} | ${b.microsPerRequest.toLocaleString('en')} | ${Object.entries(a.statuses).map(([s, n]) => `${s}×${n}`).join(', ')} |`);
  }
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/headers.json'), JSON.stringify({ at: new Date().toISOString(), root, requests, rows }, null, 2));
} finally {
  web.kill('SIGTERM');
}
