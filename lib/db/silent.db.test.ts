import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';

// A "PostgreSQL" that accepts connections and never answers (a hung server or a black-holed
// network): the app must give up with a 503, not hang. App modules are imported after
// DATABASE_URL points at it.
const sockets = new Set<Socket>();
const silent = createServer((s) => {
  sockets.add(s);
  s.on('error', () => {});
});
silent.listen(0, '127.0.0.1');
await once(silent, 'listening');
const { port } = silent.address() as { port: number };
process.env.DATABASE_URL = `postgresql://postgres@127.0.0.1:${port}/flashgate_test`;

afterAll(() => {
  for (const s of sockets) s.destroy();
  silent.close();
});

describe('PostgreSQL silent', () => {
  it('answers 503 unavailable after the connect timeout instead of hanging', async () => {
    const { call, request } = await import('@/test/http');
    const { shopperOrders } = await import('@/lib/shop/api/orders');
    const started = Date.now();
    const res = await call(shopperOrders, await request('/api/me/orders', { userId: 'pg-silent' }));
    expect(res).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(Date.now() - started).toBeLessThan(15_000); // a bound against hanging, not a speed target
  });
});
