import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer } from '@/test/services';

// The admin cookie is only as good as its session in Redis: with Redis down, a request
// carrying it gets a quick 503, neither a hang nor a pass on the signature alone. The Bearer
// token needs no Redis. A Redis of this file's own, so it can really be stopped; the app's
// modules are imported only after REDIS_URL points at it.
let redisServer: Awaited<ReturnType<typeof startRedisServer>>;

beforeAll(async () => {
  redisServer = await startRedisServer();
  process.env.REDIS_URL = redisServer.url;
});

afterAll(async () => {
  await redisServer.stop();
});

describe('Redis down', () => {
  it('an admin request with the session cookie gets 503 unavailable; the Bearer token still passes', async () => {
    const { env } = await import('@/lib/config');
    const { call, request } = await import('@/test/http');
    const { dashboardSignIn } = await import('@/lib/admin/api/session');
    const { addSale } = await import('@/lib/admin/api/sales');
    const ORIGIN = 'http://shop.test';

    const signedIn = await call(dashboardSignIn, await request('/api/admin/session', { json: { password: env.ADMIN_PASSWORD }, headers: { 'x-forwarded-for': '192.0.2.7' } }));
    expect(signedIn.status).toBe(200);
    const token = /^fg_admin=([^;]+)/.exec(signedIn.headers.get('set-cookie') ?? '')![1];
    // An invalid sale: answered 400 once the caller is an admin, without touching Redis or PostgreSQL.
    const createNothing = async (headers: Record<string, string>) =>
      call(addSale, await request('/api/admin/sales', { json: {}, headers: { origin: ORIGIN, ...headers } }));
    expect((await createNothing({ cookie: `fg_admin=${token}` })).status).toBe(400);

    await redisServer.stop();

    const started = Date.now();
    const res = await createNothing({ cookie: `fg_admin=${token}` });
    expect(res).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(Date.now() - started).toBeLessThan(5_000); // a bound against hanging, not a speed target
    expect((await createNothing({ authorization: `Bearer ${env.ADMIN_TOKEN}` })).status).toBe(400);
  });
});
