import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

// A redis-server of this file's own: the test wipes it whole (FLUSHALL), as a Redis restart
// without persistence would, and the sync loads the shared test database's sales into it.
const server = await vi.hoisted(async () => {
  const { startRedisServer } = await import('../../test/services');
  const started = await startRedisServer();
  process.env.REDIS_URL = started.url;
  return started;
});

import { syncNow } from '@/lib/admin/api/sync';
import { prisma } from '@/lib/db/client';
import { redis } from '@/lib/redis/client';
import { scopeOf } from '@/lib/redis/connect';
import { saleKeys } from '@/lib/redis/keys';
import { loadSaleIntoRedis } from '@/lib/sale/load';
import { reconcileSale } from '@/lib/sale/reconcile';
import { reserveStock } from '@/lib/sale/reserve';
import { getSaleStatus } from '@/lib/sale/status';
import { syncSales } from '@/lib/sale/sync';
import { saleFigures, saleRecord } from '@/test/fixtures';
import { call, request } from '@/test/http';
import { dropSaleRows, orderSale, reserveMany, storedCount, waitUntil } from '@/test/orders';
import { startOrderWorker, type OrderWorker } from '@/worker/orderWorker';

const workers: OrderWorker[] = [];
const startWorker = (syncIntervalMs = 0) => {
  const worker = startOrderWorker({ syncIntervalMs, heartbeatMs: 1_000, log: () => {} });
  workers.push(worker);
  return worker;
};
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
});
const extraRows: string[] = [];
afterAll(async () => {
  await server.stop();
  await dropSaleRows(...extraRows);
});

describe('syncSales', () => {
  it('raises a Booked that Redis lost writes of (restart from older data) to what PostgreSQL confirmed', async () => {
    const sale = await orderSale({ stock: 20, maxPerUser: 1 });
    await reserveMany(sale.id, 8, 'older');
    startWorker();
    await waitUntil('8 orders stored', async () => (await storedCount(sale.id)) === 8);
    await Promise.all(workers.splice(0).map((w) => w.close()));

    await redis.hset(saleKeys(sale.id).stock, 'Booked', 3); // the last 5 reservations "lost"
    await syncSales(scopeOf(redis));
    expect(await saleFigures(sale.id)).toMatchObject({ total: 20, booked: 8 });
    const after = await Promise.all(
      Array.from({ length: 30 }, (_, i) => reserveStock({ saleId: sale.id, userId: `after${i}`, quantity: 1 })),
    );
    expect(after.filter((o) => o.ok)).toHaveLength(12);
    expect((await saleFigures(sale.id)).booked).toBe(20);
  });

  it('after Redis lost everything mid-sale: stock, Booked, buyers and state come back; no oversell', async () => {
    const sale = await orderSale({ stock: 50, maxPerUser: 2 });
    for (let i = 0; i < 10; i++) await reserveStock({ saleId: sale.id, userId: `pair${i}`, quantity: 2 });
    await reserveMany(sale.id, 10, 'single');
    startWorker();
    await waitUntil('20 orders stored', async () => (await storedCount(sale.id)) === 20);
    await Promise.all(workers.splice(0).map((w) => w.close()));

    await redis.flushall();
    expect(await getSaleStatus(sale.id)).toBeNull();

    const result = await syncSales(scopeOf(redis));
    expect(result.rebuilt).toContain(sale.id);
    expect(await saleFigures(sale.id)).toMatchObject({ total: 50, booked: 30 });
    expect(await getSaleStatus(sale.id)).toMatchObject({ state: 'live', stock: { total: 50, remaining: 20 } });
    expect(await redis.hget(saleKeys(sale.id).buyers, 'pair0')).toBe('2');
    expect(await reserveStock({ saleId: sale.id, userId: 'pair0', quantity: 1 })).toMatchObject({
      ok: false,
      code: 'limit_reached',
    });

    const rush = await Promise.all(
      Array.from({ length: 100 }, (_, i) => reserveStock({ saleId: sale.id, userId: `late${i}`, quantity: 1 })),
    );
    expect(rush.filter((o) => o.ok)).toHaveLength(20);
    expect(rush.filter((o) => !o.ok && o.code === 'sold_out')).toHaveLength(80);
    expect(await saleFigures(sale.id)).toMatchObject({ total: 50, booked: 50 });

    startWorker();
    await waitUntil('40 orders stored', async () => (await storedCount(sale.id)) === 40);
    const units = await prisma.order.aggregate({ where: { saleId: sale.id }, _sum: { quantity: true } });
    expect(units._sum.quantity).toBe(50);
    await waitUntil('reconciled', async () => (await reconcileSale(sale.id, { client: redis }))?.difference === 0);

    // A second sync changes nothing that purchases recorded.
    expect((await syncSales(scopeOf(redis))).rebuilt).not.toContain(sale.id);
    expect(await saleFigures(sale.id)).toMatchObject({ total: 50, booked: 50 });
  });

  it('makes a sale created in PostgreSQL by other means purchasable; never sets Total below Booked', async () => {
    const sale = await prisma.sale.create({ data: saleRecord({ stock: 5, maxPerUser: 5 }) });
    extraRows.push(sale.id);
    expect(await reserveStock({ saleId: sale.id, userId: 'early', quantity: 1 })).toMatchObject({ code: 'not_found' });

    expect((await call(syncNow, await request('/api/admin/sync', { method: 'POST' }))).status).toBe(401);
    const res = await call(syncNow, await request('/api/admin/sync', { method: 'POST', admin: true }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sales: expect.any(Number), rebuilt: expect.arrayContaining([sale.id]) });

    expect(await reserveStock({ saleId: sale.id, userId: 'buyer', quantity: 3 })).toMatchObject({ ok: true });
    await prisma.sale.update({ where: { id: sale.id }, data: { stock: 1 } }); // below the 3 booked
    await syncSales(scopeOf(redis));
    expect(await saleFigures(sale.id)).toMatchObject({ total: 3, booked: 3 });
    expect(await getSaleStatus(sale.id)).toMatchObject({ state: 'sold_out' });
  });

  it('runs in the worker on an interval', async () => {
    startWorker(300);
    const sale = await prisma.sale.create({ data: saleRecord({ stock: 5 }) });
    extraRows.push(sale.id);
    await waitUntil('loaded by the worker', async () => (await getSaleStatus(sale.id)) !== null, 10_000);
    expect(await reserveStock({ saleId: sale.id, userId: 'x', quantity: 1 })).toMatchObject({ ok: true });
  });

  it('does not apply a row older than the one loaded last', async () => {
    const sale = await orderSale({ stock: 10 });
    const older = await prisma.sale.findUniqueOrThrow({ where: { id: sale.id } });
    const newer = await prisma.sale.update({ where: { id: sale.id }, data: { flag: 'paused', updatedAt: new Date(older.updatedAt.getTime() + 1_000) } });
    await loadSaleIntoRedis(newer, { client: redis });
    await loadSaleIntoRedis(older, { client: redis }); // a sync that read the row just before the admin paused it
    expect(await getSaleStatus(sale.id)).toMatchObject({ state: 'paused' });
  });

  it('puts dead letters back on the queue once the sale row exists', async () => {
    const sale = await orderSale({ stock: 10 });
    const [orderId] = await reserveMany(sale.id, 1);
    const k = saleKeys(sale.id);
    await redis.lmove(k.queue, k.dead, 'RIGHT', 'RIGHT');
    expect((await syncSales(scopeOf(redis))).requeued).toBeGreaterThanOrEqual(1);
    expect(await redis.llen(k.dead)).toBe(0);
    expect(JSON.parse((await redis.lindex(k.queue, -1))!)).toMatchObject({ orderId });
  });
});
