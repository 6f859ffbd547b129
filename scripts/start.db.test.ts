// The production launcher (scripts/start.mjs) for real: 2 web processes and the order worker
// on the production build, a purchase rush, one web process SIGKILLed in the middle of it.
// Needs Redis, PostgreSQL and a build (made here, under the build lock, when missing). ~20 s.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';

// A prefix of its own: the launcher's order worker drains every sale under it.
vi.hoisted(() => {
  process.env.REDIS_PREFIX = `${process.env.REDIS_PREFIX}-kill`; // removed with the run's own (test/globalSetup.ts)
});

import { env } from '@/lib/config';
import { SESSION_COOKIE, signSession } from '@/lib/auth/session';
import { redis } from '@/lib/redis/client';
import { globalKeys, saleKeys } from '@/lib/redis/keys';
import { SIGN_IN_ATTEMPTS } from '@/lib/auth/adminSignIn';
import type { Server } from '@/bench/lib/servers';
import { holdBuild, listeningPids, startShop } from '@/test/launcher';
import { clearTestKeys, saleFigures, storedSale } from '@/test/fixtures';
import { dropSaleRows } from '@/test/orders';

const PURCHASES = 4_000;
const STOCK = 3_000;
const CONCURRENCY = 50;
const KILL_AFTER = 1_000; // purchases answered before one web process is killed

let launcher: Server | undefined;
let releaseBuild: () => Promise<void> = async () => {};

beforeAll(async () => {
  releaseBuild = await holdBuild();
  launcher = (await startShop()).server;
}, 180_000);

// Sales made through the launcher's admin API, removed with their rows afterwards.
const saleIds: string[] = [];

afterAll(async () => {
  await launcher?.stop(5_000);
  await releaseBuild();
  await clearTestKeys(...saleIds);
  await dropSaleRows(...saleIds);
});


/** The sale page's heading, fetched on a new connection. */
function pageTitle(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let html = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (html += chunk));
        res.on('end', () => resolve(/<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1] ?? `no heading (${res.statusCode})`));
      })
      .on('error', reject);
  });
}

type Purchase = { key: string; status: number; orderId?: string; attempts: number };

/** One shopper's purchase, resent with the same Idempotency-Key after a connection error. */
async function buy(saleId: string, cookie: string): Promise<Purchase> {
  const key = randomUUID();
  for (let attempts = 1; ; attempts++) {
    try {
      const res = await fetch(`${launcher!.url}/api/sales/${saleId}/orders`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'idempotency-key': key },
        body: '{"quantity":1}',
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json()) as { orderId?: string };
      return { key, status: res.status, orderId: body.orderId, attempts };
    } catch (err) {
      if (attempts >= 10) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempts));
    }
  }
}

describe('npm start (the production launcher)', () => {
  it('loses no order and reserves nothing extra when a web process is SIGKILLed mid-rush, and restarts it', async () => {
    onTestFailed(() => console.error(`launcher output:\n${launcher?.output().slice(-6_000)}`));
    const sale = await storedSale({ stock: STOCK, maxPerUser: 1 });
    const cookies = await Promise.all(
      Array.from({ length: PURCHASES }, (_, i) => signSession(`kill-${sale.id}-${i}`).then((t) => `${SESSION_COOKIE}=${t}`)),
    );
    const [victim] = listeningPids(launcher!.output());
    expect(victim).toBeGreaterThan(0);

    const results: Purchase[] = [];
    let next = 0;
    let killedAt = -1;
    const shopper = async () => {
      while (next < PURCHASES) {
        const i = next++;
        results.push(await buy(sale.id, cookies[i]));
        if (results.length === KILL_AFTER && killedAt < 0) {
          killedAt = results.length;
          process.kill(victim, 'SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, shopper));
    expect(killedAt).toBe(KILL_AFTER);

    // Every purchase got an answer; a 202 is a unit booked and an order held, nothing else is.
    expect(results).toHaveLength(PURCHASES);
    const accepted = results.filter((r) => r.status === 202);
    const refused = results.filter((r) => r.status === 409);
    expect(accepted.length + refused.length).toBe(PURCHASES);
    expect(accepted).toHaveLength(STOCK);
    const orderIds = new Set(accepted.map((r) => r.orderId));
    expect(orderIds.size).toBe(accepted.length);

    const figures = await saleFigures(sale.id);
    expect(figures.booked).toBe(accepted.length); // one unit each
    expect(figures.booked).toBeLessThanOrEqual(figures.total);
    const k = saleKeys(sale.id);
    expect(await redis.hlen(k.orders)).toBe(accepted.length);
    const held = await redis.hmget(k.orders, ...([...orderIds] as string[]));
    expect(held.filter((o) => o === null)).toHaveLength(0);

    // The killed process was replaced: it died, and a new one is listening.
    const output = launcher!.output();
    expect(output).toMatch(new RegExp(`web process ${victim} died \\(SIGKILL\\)`));
    await vi.waitFor(() => expect(listeningPids(launcher!.output()).length).toBeGreaterThan(2), { timeout: 10_000 });
    const retried = results.filter((r) => r.attempts > 1).length;
    console.log(`kill test: ${accepted.length} reserved, ${refused.length} sold out, ${retried} resent after the kill`);
  }, 60_000);

  it('counts sign-in attempts by the socket address, whatever X-Forwarded-For a client sends', async () => {
    const signIn = (i: number) =>
      fetch(`${launcher!.url}/api/admin/session`, {
        method: 'POST',
        headers: { origin: launcher!.url, 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}` },
        body: JSON.stringify({ password: `guess-${i}` }),
      });
    const socketAddress = globalKeys().adminSignIns('127.0.0.1');
    await redis.del(socketAddress);
    try {
      const statuses: number[] = [];
      for (let i = 0; i <= SIGN_IN_ATTEMPTS; i++) statuses.push((await signIn(i)).status);
      expect(statuses).toEqual([...Array(SIGN_IN_ATTEMPTS).fill(401), 429]);
      expect(await redis.get(socketAddress)).toBe(String(SIGN_IN_ATTEMPTS + 1));
    } finally {
      await redis.del(socketAddress);
    }
  });

  it("shows an admin's edit at once on every web process, not only the one that revalidated", async () => {
    onTestFailed(() => console.error(`launcher output:\n${launcher?.output().slice(-6_000)}`));
    const admin = (method: string, path: string, body: object) =>
      fetch(`${launcher!.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = await admin('POST', '/api/admin/sales', { name: `Before ${randomUUID()}`, priceCents: 100, stock: 5, startsAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    saleIds.push(id);
    // Each page request on a connection of its own: node:cluster hands them round the processes.
    const names = async () => Promise.all(Array.from({ length: 6 }, () => pageTitle(`${launcher!.url}/sales/${id}`)));
    expect(new Set(await names())).toEqual(new Set([expect.stringMatching(/^Before /)])); // cached in both

    const renamed = `After ${randomUUID()}`;
    expect((await admin('PATCH', `/api/admin/sales/${id}`, { name: renamed })).status).toBe(200);
    let seen: string[] = [];
    for (const until = Date.now() + 5_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      seen = await names();
      if (seen.every((n) => n === renamed)) break;
    }
    expect(seen).toEqual(Array(6).fill(renamed));
  }, 30_000);

  it('stops cleanly on SIGTERM: exit code 0', async () => {
    onTestFailed(() => console.error(`launcher output:\n${launcher?.output().slice(-6_000)}`));
    expect(await launcher!.stop(15_000)).toBe(0);
    expect(launcher!.output()).toMatch(/\[launcher\] stopped/);
  }, 20_000);
});
