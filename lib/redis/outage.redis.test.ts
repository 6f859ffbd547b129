import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/test/services';

// A Redis of this test's own, so it can really be stopped while the app talks to it.
// The app's modules are imported only after REDIS_URL points at it.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PORT = await freePort(); // chosen now: a second run must not collide
let server: ChildProcess;

async function startRedis() {
  server = spawn('redis-server', ['--port', String(PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  for (let i = 0; i < 50; i++) {
    try {
      const { Redis } = await import('ioredis');
      const probe = new Redis(PORT, { lazyConnect: true, retryStrategy: () => null });
      await probe.connect();
      await probe.quit();
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error('test redis-server did not start');
}

beforeAll(async () => {
  await startRedis();
  process.env.REDIS_URL = `redis://127.0.0.1:${PORT}`;
});

afterAll(() => {
  server.kill('SIGKILL');
});

describe('Redis down', () => {
  it('a purchase fails fast with 503 and health names redis', async () => {
    const { liveSale } = await import('@/test/fixtures');
    const { call, request } = await import('@/test/http');
    const { purchase } = await import('@/lib/shop/api/purchase');
    const { health } = await import('@/lib/shop/api/health');
    const buy = async (saleId: string, userId: string) =>
      call(purchase, await request(`/api/sales/${saleId}/orders`, { json: {}, userId }), { saleId });

    const sale = await liveSale({ stock: 10, maxPerUser: 10 });
    expect((await buy(sale.id, 'before')).status).toBe(202);
    expect((await call(health, await request('/api/health'))).body).toMatchObject({ redis: 'ok', database: 'ok' });

    server.kill('SIGKILL');
    await once(server, 'exit');

    const started = Date.now();
    const res = await buy(sale.id, 'during');
    expect(res).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(Date.now() - started).toBeLessThan(5_000); // a bound against hanging, not a speed target
    const down = await call(health, await request('/api/health'));
    expect(down).toMatchObject({ status: 503, body: { redis: 'down', database: 'ok' } });
  });
});
