import { describe, expect, it } from 'vitest';

// PostgreSQL "down": this file's app modules point at a port where nothing listens (the
// shared server stays up for everyone else). Imported only after DATABASE_URL is set.
process.env.DATABASE_URL = 'postgresql://postgres@127.0.0.1:1/flashgate_test';

describe('PostgreSQL down', () => {
  it('answers 503 where the database is needed, and purchases still succeed', async () => {
    const { liveSale, clearTestKeys } = await import('@/test/fixtures');
    const { call, request } = await import('@/test/http');
    const { purchase } = await import('@/lib/shop/api/purchase');
    const { shopperOrders } = await import('@/lib/shop/api/orders');
    const { health } = await import('@/lib/shop/api/health');

    const sale = await liveSale({ stock: 5 });
    const bought = await call(purchase, await request(`/api/sales/${sale.id}/orders`, { json: {}, userId: 'pg-down' }), {
      saleId: sale.id,
    });
    expect(bought).toMatchObject({ status: 202, body: { status: 'queued' } });

    const list = await call(shopperOrders, await request('/api/me/orders', { userId: 'pg-down' }));
    expect(list).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(JSON.stringify(list.body)).not.toMatch(/postgres|127\.0\.0\.1|P1001/);

    expect(await call(health, await request('/api/health'))).toMatchObject({
      status: 503,
      body: { redis: 'ok', database: 'down' },
    });
    await clearTestKeys();
  });
});
