import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { env } from '@/lib/config';
import { redis } from '@/lib/redis/client';
import { createRedis } from '@/lib/redis/connect';
import { reserveKeys, saleKeys } from '@/lib/redis/keys';
import { luaScripts } from '@/lib/redis/scripts';
import { newOrderId } from '@/lib/ids';
import { loadSaleIntoRedis } from '@/lib/sale/load';
import { forgetRefusal } from '@/lib/sale/refusal';
import { reserveStock, toReserveOutcome, type ReserveOutcome } from '@/lib/sale/reserve';
import { clearTestKeys, liveSale, saleFigures, saleRecord, sleep } from '@/test/fixtures';
import { startRedisServer } from '@/test/services';

afterAll(() => clearTestKeys());

const codes = (outcomes: ReserveOutcome[]) =>
  outcomes.reduce<Record<string, number>>((acc, o) => {
    const key = o.ok ? 'reserved' : o.code;
    acc[key] = (acc[key] ?? 0) + 1;
    return acc;
  }, {});

describe('reserveStock under concurrency', () => {
  it('sells exactly the stock to 2,000 concurrent buyers', async () => {
    const sale = await liveSale({ stock: 100 });
    const outcomes = await Promise.all(
      Array.from({ length: 2000 }, (_, i) => reserveStock({ saleId: sale.id, userId: `user-${i}`, quantity: 1 })),
    );
    expect(codes(outcomes)).toEqual({ reserved: 100, sold_out: 1900 });
    const figures = await saleFigures(sale.id);
    expect(figures).toMatchObject({ total: 100, booked: 100, queued: 100 });
    const queued = (await redis.lrange(saleKeys(sale.id).queue, 0, -1)).map((j) => JSON.parse(j).orderId);
    const reserved = outcomes.flatMap((o) => (o.ok ? [o.order.orderId] : []));
    expect(new Set(queued)).toEqual(new Set(reserved));
  });

  it('never goes over Total with quantities above one near the end', async () => {
    const sale = await liveSale({ stock: 10, maxPerUser: 3 });
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => reserveStock({ saleId: sale.id, userId: `u${i}`, quantity: 3 })),
    );
    expect(codes(outcomes)).toEqual({ reserved: 3, sold_out: 47 });
    expect(outcomes.filter((o) => !o.ok && o.code === 'sold_out' && o.unitsLeft === 1)).toHaveLength(47);
    const last = await reserveStock({ saleId: sale.id, userId: 'late', quantity: 1 });
    expect(last.ok).toBe(true);
    expect(await saleFigures(sale.id)).toMatchObject({ total: 10, booked: 10, queued: 4 });
  });

  it('holds the per-user limit against concurrent calls by one shopper', async () => {
    const sale = await liveSale({ stock: 100, maxPerUser: 2 });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => reserveStock({ saleId: sale.id, userId: 'greedy', quantity: 1 })),
    );
    expect(codes(outcomes)).toEqual({ reserved: 2, limit_reached: 18 });
    expect(await redis.hget(saleKeys(sale.id).buyers, 'greedy')).toBe('2');
    expect((await saleFigures(sale.id)).booked).toBe(2);
  });
});

describe('idempotency', () => {
  it('answers the same Idempotency-Key with the first order, also concurrently', async () => {
    const sale = await liveSale({ stock: 100, maxPerUser: 5 });
    const first = await reserveStock({ saleId: sale.id, userId: 'alice', quantity: 2, idempotencyKey: 'k1' });
    const again = await reserveStock({ saleId: sale.id, userId: 'alice', quantity: 2, idempotencyKey: 'k1' });
    expect(first.ok && again.ok && again.replay).toBe(true);
    expect(again.ok && first.ok && again.order.orderId).toBe(first.ok && first.order.orderId);

    const burst = await Promise.all(
      Array.from({ length: 10 }, () => reserveStock({ saleId: sale.id, userId: 'bob', quantity: 1, idempotencyKey: 'k2' })),
    );
    const ids = new Set(burst.map((o) => (o.ok ? o.order.orderId : o.code)));
    expect(ids.size).toBe(1);
    expect(await saleFigures(sale.id)).toMatchObject({ booked: 3, queued: 2 });
  });

  it('keys are per shopper: the same key from two shoppers is two orders', async () => {
    const sale = await liveSale({ stock: 100 });
    const a = await reserveStock({ saleId: sale.id, userId: 'a', quantity: 1, idempotencyKey: 'same' });
    const b = await reserveStock({ saleId: sale.id, userId: 'b', quantity: 1, idempotencyKey: 'same' });
    expect(a.ok && b.ok && a.order.orderId !== b.order.orderId).toBe(true);
  });

  it('a resent script call (same orderId) reserves once', async () => {
    const sale = await liveSale({ stock: 100 });
    const keys = reserveKeys(saleKeys(sale.id));
    const call = () => redis.reserve(...keys, sale.id, 'carol', 1, `${sale.id}.resentorder000001`, '');
    const [first, second] = [toReserveOutcome(await call()), toReserveOutcome(await call())];
    expect(first).toMatchObject({ ok: true, replay: false });
    expect(second).toMatchObject({ ok: true, replay: true });
    expect(await saleFigures(sale.id)).toMatchObject({ booked: 1, queued: 1 });
  });
});

describe('sale states', () => {
  const refusalOf = async (overrides: Parameters<typeof liveSale>[0]) => {
    const sale = await liveSale(overrides);
    const outcome = await reserveStock({ saleId: sale.id, userId: 'x', quantity: 1 });
    expect(await saleFigures(sale.id)).toMatchObject({ booked: 0, queued: 0 });
    return outcome.ok ? 'reserved' : outcome.code;
  };

  it('refuses every state that is not live, and changes nothing', async () => {
    expect(await refusalOf({ flag: 'off' })).toBe('not_started');
    expect(await refusalOf({ startsAt: new Date(Date.now() + 60_000) })).toBe('not_started');
    expect(await refusalOf({ flag: 'paused' })).toBe('paused');
    expect(await refusalOf({ flag: 'ended' })).toBe('ended');
    expect(await refusalOf({ endsAt: new Date(Date.now() - 1_000) })).toBe('ended');
    expect(await refusalOf({ stock: 0 })).toBe('sold_out');
    const unknown = await reserveStock({ saleId: 'no-such-sale', userId: 'x', quantity: 1 });
    expect(unknown).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('opens at startsAt and closes at endsAt by the clock alone', async () => {
    // Wide margins: a busy machine may take a while to create the sale or answer a call.
    const now = Date.now();
    const startsAt = now + 1_500;
    const endsAt = now + 3_000;
    const sale = await liveSale({ startsAt: new Date(startsAt), endsAt: new Date(endsAt), maxPerUser: 10 });
    const buy = () => reserveStock({ saleId: sale.id, userId: 'clock', quantity: 1 });
    expect(await buy()).toMatchObject({ ok: false, code: 'not_started' });
    await sleep(startsAt + 100 - Date.now());
    expect(await buy()).toMatchObject({ ok: true });
    await sleep(endsAt + 100 - Date.now());
    expect(await buy()).toMatchObject({ ok: false, code: 'ended' });
  });

  it('counts admitted requests, not refused ones', async () => {
    const sale = await liveSale({ stock: 1 });
    await reserveStock({ saleId: sale.id, userId: 'a', quantity: 1 });
    forgetRefusal(sale.id);
    await reserveStock({ saleId: sale.id, userId: 'b', quantity: 1 });
    expect((await saleFigures(sale.id)).admitted).toBe(1);
  });
});

describe('script loading', () => {
  // SCRIPT FLUSH empties the script cache of everyone on that server: so on a Redis of this
  // test's own, through a connection built as the app builds its own (lib/redis/connect.ts).
  it('still works after SCRIPT FLUSH between two calls', async () => {
    const own = await startRedisServer();
    const client = createRedis('request', { ...env, REDIS_TOPOLOGY: 'single', REDIS_URL: own.url });
    client.on('error', () => {});
    try {
      if (client.status !== 'ready') await once(client, 'ready');
      const sale = saleRecord({ stock: 10 });
      await loadSaleIntoRedis(sale, { client });
      const reserve = async (userId: string) =>
        toReserveOutcome(await client.reserve(...reserveKeys(saleKeys(sale.id)), sale.id, userId, 1, newOrderId(sale.id), ''));
      const sha = createHash('sha1').update(luaScripts.find((s) => s.name === 'reserve')!.lua).digest('hex');

      expect(await reserve('f1')).toMatchObject({ ok: true });
      expect(await client.script('EXISTS', sha)).toEqual([1]);
      await client.script('FLUSH');
      expect(await client.script('EXISTS', sha)).toEqual([0]); // the next EVALSHA meets NOSCRIPT
      expect(await reserve('f2')).toMatchObject({ ok: true });
      expect(await client.hget(saleKeys(sale.id).stock, 'Booked')).toBe('2');
    } finally {
      client.disconnect();
      await own.stop();
    }
  });
});
