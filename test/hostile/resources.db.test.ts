// What a hostile client can make a web process spend: CPU time for the worst cookie and header
// shapes (within a small multiple of a plain request), and memory under 60 slow 10 MiB uploads
// (bounded, each refused at once). Measured from /proc (CPU time and RSS of the web processes
// of a real `npm start`), never by wall-clock speed: the machine is shared and noisy.
// Needs Redis, PostgreSQL and a build (made here, under the build lock). ~40 s.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX}-hostile`;
});

import { env } from '@/lib/config';
import { dropPrefixKeys } from './cleanup';
import { cpuMicros, holdBuild, lingeringConnections, restartLines, rssBytes, startShop, type Shop } from './launcher';
import { HEADER_SHAPES } from './headerShapes';
import { sendRaw } from './rawHttp';

let shop: Shop;
let release: () => Promise<void> = async () => {};

beforeAll(async () => {
  release = await holdBuild();
  shop = await startShop();
}, 300_000);

afterAll(async () => {
  try {
    await shop?.server.stop(10_000);
    await dropPrefixKeys(env.REDIS_PREFIX);
  } finally {
    await release();
  }
}, 60_000);

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

describe('resources a hostile client can take from a web process', () => {
  it('spends at most 3x the CPU of a plain GET /api/health on 1,500 cookies, 120 headers or a 15 KB Cookie header', async () => {
    const host: [string, string] = ['Host', shop.host];
    const shapes: Record<string, [string, string][]> = {
      'plain GET /api/health': [host],
      'reference: plain GET /api/nope (404, no I/O)': [host],
      ...Object.fromEntries(Object.entries(HEADER_SHAPES).map(([name, headers]) => [name, [host, ...headers]])),
    };
    const targets: Record<string, string> = { 'reference: plain GET /api/nope (404, no I/O)': '/api/nope' };
    const send = (name: string, headers: [string, string][]) =>
      sendRaw({ method: 'GET', target: targets[name] ?? '/api/health', headers }, { port: shop.port });
    const micros: Record<string, number> = {};
    const statuses: Record<string, Map<string, number>> = {};
    const cpu = () => sum(shop.webPids.map(cpuMicros));
    for (const [name, headers] of Object.entries(shapes)) {
      micros[name] = 0;
      statuses[name] = new Map();
      for (let i = 0; i < 10; i++) await send(name, headers); // warm: code loaded, caches filled
    }
    // What the web processes spend doing nothing (timers, the subscriber), for scale.
    const idleFrom = cpu();
    await new Promise((r) => setTimeout(r, 2_000));
    console.log(`resources cpu: idle web processes: ${Math.round((cpu() - idleFrom) / 2)} µs of CPU per second`);
    // Interleaved rounds, so a burst of background work (GC, a revalidation) spreads over all shapes.
    const ROUNDS = 4;
    const PER_ROUND = 75;
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, headers] of Object.entries(shapes)) {
        const before = cpu();
        for (let i = 0; i < PER_ROUND; i++) {
          const res = await send(name, headers);
          const key = res.status === null ? res.outcome : String(res.status);
          statuses[name].set(key, (statuses[name].get(key) ?? 0) + 1);
        }
        micros[name] += cpu() - before;
      }
    }
    const perRequest = Object.fromEntries(Object.entries(micros).map(([name, us]) => [name, us / (ROUNDS * PER_ROUND)]));
    const plain = perRequest['plain GET /api/health'];
    for (const [name, us] of Object.entries(perRequest)) {
      const answers = [...statuses[name].entries()].map(([k, n]) => `${k}×${n}`).join(', ');
      console.log(`resources cpu: ${name}: ${Math.round(us)} µs/request (${(us / plain).toFixed(2)}x plain) over ${ROUNDS * PER_ROUND} requests, answers ${answers}`);
    }
    const asserted = Object.entries(perRequest).filter(([name]) => !name.startsWith('reference'));
    for (const [name, us] of asserted) expect(us / plain, `${name}: ${Math.round(us)} µs vs ${Math.round(plain)} µs`).toBeLessThanOrEqual(3);
  }, 180_000);

  it('stays within 60 MB more memory under 60 slow 10 MiB uploads, each refused at once (413; 405 on a page) and its connection closed', async () => {
    type Upload = { target: string; framing: 'length' | 'chunked'; auth: boolean; status: number | null; statusMs: number | null; closedMs: number | null; closedBy: string; sent: number };
    const piece = Buffer.alloc(64 * 1024, 'a');
    const TOTAL = 10 * 1024 * 1024;
    const HOLD_MS = 10_000; // the client gives up after this; a server that keeps it this long held it

    /** One slow upload: headers, then 64 KiB every 100 ms, until the server answers and closes. */
    const upload = (target: string, framing: 'length' | 'chunked', auth: boolean): Promise<Upload> =>
      new Promise((resolve) => {
        const started = performance.now();
        const result: Upload = { target, framing, auth, status: null, statusMs: null, closedMs: null, closedBy: 'client', sent: 0 };
        const socket = net.connect({ port: shop.port, host: '127.0.0.1' });
        let head = '';
        let timer: NodeJS.Timeout | undefined;
        let writable = true;
        const done = (by: string) => {
          if (timer) clearTimeout(timer);
          if (result.closedMs === null) {
            result.closedMs = performance.now() - started;
            result.closedBy = by;
          }
          socket.destroy();
          resolve(result);
        };
        const giveUp = setTimeout(() => done('client'), HOLD_MS);
        socket.on('data', (chunk: Buffer) => {
          if (result.statusMs === null) result.statusMs = performance.now() - started;
          head += chunk.toString('latin1', 0, Math.min(chunk.length, 200));
          result.status ??= Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]) || null;
        });
        socket.on('drain', () => (writable = true));
        socket.on('error', () => {});
        socket.on('close', () => {
          clearTimeout(giveUp);
          done('server');
        });
        socket.once('connect', () => {
          const lines = [
            `POST ${target} HTTP/1.1`,
            `Host: ${shop.host}`,
            'Content-Type: application/json',
            framing === 'length' ? `Content-Length: ${TOTAL}` : 'Transfer-Encoding: chunked',
            ...(auth ? [`Authorization: Bearer ${env.ADMIN_TOKEN}`] : []),
          ];
          socket.write(`${lines.join('\r\n')}\r\n\r\n`);
          const dribble = () => {
            if (socket.destroyed || result.sent >= TOTAL) return;
            if (writable) {
              writable = framing === 'length'
                ? socket.write(piece)
                : socket.write(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]));
              result.sent += piece.length;
            }
            timer = setTimeout(dribble, 100);
          };
          timer = setTimeout(dribble, 100);
        });
      });

    const variants = Array.from({ length: 60 }, (_, i) => ({
      target: i % 2 === 0 ? '/api/admin/sales' : '/admin',
      framing: (i >> 1) % 2 === 0 ? ('length' as const) : ('chunked' as const),
      auth: (i >> 2) % 2 === 0,
    }));
    // Warm: the refusal paths' code loaded before the baseline is read.
    await Promise.all(variants.slice(0, 8).map((v) => upload(v.target, v.framing, v.auth)));
    await new Promise((r) => setTimeout(r, 1_000));

    const baseline = new Map(shop.webPids.map((pid) => [pid, rssBytes(pid)]));
    const peak = new Map(baseline);
    const sampler = setInterval(() => {
      for (const pid of shop.webPids) peak.set(pid, Math.max(peak.get(pid)!, rssBytes(pid)));
    }, 100);
    const started = performance.now();
    const uploads = await Promise.all(variants.map((v) => upload(v.target, v.framing, v.auth)));
    const elapsed = performance.now() - started;
    clearInterval(sampler);
    for (const pid of shop.webPids) peak.set(pid, Math.max(peak.get(pid)!, rssBytes(pid)));

    const byStatus = new Map<string, number>();
    for (const u of uploads) byStatus.set(String(u.status ?? 'none'), (byStatus.get(String(u.status ?? 'none')) ?? 0) + 1);
    const maxOf = (xs: (number | null)[]) => Math.round(Math.max(...xs.map((x) => x ?? Infinity)));
    console.log(
      `resources memory: 60 slow 10 MiB uploads in ${(elapsed / 1000).toFixed(1)} s: answers ${[...byStatus].map(([k, n]) => `${k}×${n}`).join(', ')}; ` +
        `first byte of the answer after at most ${maxOf(uploads.map((u) => u.statusMs))} ms; connection closed after at most ${maxOf(uploads.map((u) => u.closedMs))} ms ` +
        `(${uploads.filter((u) => u.closedBy === 'client').length} held until the client gave up); ${mb(sum(uploads.map((u) => u.sent)))} MB sent`,
    );
    for (const pid of shop.webPids) {
      console.log(`resources memory: web process ${pid}: RSS ${mb(baseline.get(pid)!)} MB -> peak ${mb(peak.get(pid)!)} MB (+${mb(peak.get(pid)! - baseline.get(pid)!)} MB)`);
    }
    // Wrong: no refusal (413, or 405 for a page, which takes no body at all; nor a close without
    // an answer) within 3 s, or the connection still open after 5 s.
    const refusedAtOnce = (u: Upload) => ((u.status === 413 || (u.status === 405 && !u.target.startsWith('/api/'))) && u.statusMs! < 3_000) || (u.status === null && u.closedMs! < 3_000);
    const groups = new Map<string, { n: number; example: string }>();
    for (const u of uploads.filter((u) => !refusedAtOnce(u) || u.closedBy !== 'server' || u.closedMs! > 5_000)) {
      const key = `POST ${u.target} (${u.framing === 'length' ? 'Content-Length: 10485760' : 'chunked'}${u.auth ? ', Bearer' : ''}): ${u.status ?? 'no answer'}, closed by the ${u.closedBy}`;
      const example = `answer after ${Math.round(u.statusMs ?? -1)} ms, closed after ${Math.round(u.closedMs ?? -1)} ms, ${mb(u.sent)} MB sent`;
      groups.set(key, { n: (groups.get(key)?.n ?? 0) + 1, example: groups.get(key)?.example ?? example });
    }
    const wrong = [...groups].map(([key, g]) => `${g.n}× ${key} (e.g. ${g.example})`);
    for (const pid of shop.webPids) expect(peak.get(pid)! - baseline.get(pid)!, `web process ${pid} RSS growth`).toBeLessThan(60 * 1024 * 1024);
    expect(wrong, 'each upload refused (413, or 405 on a page) within 3 s and closed by the server within 5 s').toEqual([]);
    expect(await lingeringConnections(shop.port), 'server connections left open after the uploads').toBe('');
    expect(restartLines(shop.server.output())).toEqual([]);
  }, 120_000);
});
