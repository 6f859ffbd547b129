import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '@/lib/auth/session';
import { saleKeys } from '@/lib/redis/keys';
import { redis } from '@/lib/redis/client';
import { shopperOrder, shopperOrders } from '@/lib/shop/api/orders';
import { purchase } from '@/lib/shop/api/purchase';
import { saleList } from '@/lib/shop/api/sales';
import { saleStatus } from '@/lib/shop/api/saleStatus';
import { signIn, signOut } from '@/lib/shop/api/session';
import { clearTestKeys, liveSale, saleFigures, storedSale } from '@/test/fixtures';
import { call, request } from '@/test/http';

afterAll(() => clearTestKeys());

// A fresh shopper per request, so the per-shopper rate limit does not leak between tests.
const shopper = () => `u-${randomUUID()}`;

const buy = async (saleId: string, opts: Parameters<typeof request>[1] = {}) =>
  call(purchase, await request(`/api/sales/${saleId}/orders`, { method: 'POST', ...opts }), { saleId });

describe('POST /api/session', () => {
  it('signs in with an email and sets an HttpOnly, SameSite=Lax cookie', async () => {
    const res = await call(signIn, await request('/api/session', { json: { email: 'Ann@Example.com' } }));
    expect(res.status).toBe(200);
    expect(res.body.userId).toMatch(/^u[0-9a-f]{24}$/);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`${SESSION_COOKIE}=`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=lax/i);
    const again = await call(signIn, await request('/api/session', { json: { email: 'ann@example.com' } }));
    expect(again.body.userId).toBe(res.body.userId);
  });

  it.each([{ email: 'not-an-email' }, {}, { email: 'a@b.co', admin: true }, 'x'])('refuses %j with 400', async (json) => {
    const res = await call(signIn, await request('/api/session', { json }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  it('clears the cookie on DELETE', async () => {
    const res = await call(signOut, await request('/api/session', { method: 'DELETE' }));
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/i);
  });
});

describe('POST /api/sales/{id}/orders', () => {
  it('reserves and answers 202 queued; the order is the shopper\'s alone', async () => {
    const sale = await liveSale({ stock: 5 });
    const res = await buy(sale.id, { userId: 'ann', json: { quantity: 1 } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ saleId: sale.id, quantity: 1, status: 'queued' });
    const mine = await call(shopperOrder, await request(`/api/orders/${res.body.orderId}`, { userId: 'ann' }), {
      orderId: res.body.orderId,
    });
    expect(mine).toMatchObject({ status: 200, body: { orderId: res.body.orderId, status: 'queued' } });
    const theirs = await call(shopperOrder, await request(`/api/orders/${res.body.orderId}`, { userId: 'bob' }), {
      orderId: res.body.orderId,
    });
    expect(theirs.status).toBe(404);
    const list = await call(shopperOrders, await request('/api/me/orders', { userId: 'ann' }));
    expect(list.body.map((o: { orderId: string }) => o.orderId)).toContain(res.body.orderId);
  });

  it('accepts an empty body as quantity 1, with the JSON content type or with none (the body is optional)', async () => {
    const sale = await liveSale({ maxPerUser: 5 });
    const res = await buy(sale.id, { userId: 'ann', headers: { 'content-type': 'application/json' } });
    expect(res).toMatchObject({ status: 202, body: { quantity: 1 } });
    const bare = await buy(sale.id, { userId: 'ann' }); // no body and no Content-Type: curl -X POST
    expect(bare).toMatchObject({ status: 202, body: { quantity: 1 } });
    expect((await saleFigures(sale.id)).booked).toBe(2);
  });

  it('repeats the first answer for the same Idempotency-Key', async () => {
    const sale = await liveSale({ stock: 5 });
    const opts = { userId: 'ann', json: {}, headers: { 'idempotency-key': 'click-1' } };
    const [a, b] = [await buy(sale.id, opts), await buy(sale.id, opts)];
    expect(b).toMatchObject({ status: 202, body: { orderId: a.body.orderId } });
    expect((await saleFigures(sale.id)).booked).toBe(1);
  });

  it('repeats the first answer for the same Idempotency-Key and quantity, nothing more reserved', async () => {
    const sale = await liveSale({ stock: 5, maxPerUser: 5 });
    const opts = { userId: shopper(), json: { quantity: 2 }, headers: { 'idempotency-key': 'click-2' } };
    const [a, b] = [await buy(sale.id, opts), await buy(sale.id, opts)];
    expect(a).toMatchObject({ status: 202, body: { quantity: 2 } });
    expect(b).toEqual(a);
    expect(await saleFigures(sale.id)).toMatchObject({ booked: 2, queued: 1 });
  });

  it('refuses the same Idempotency-Key with another quantity: 422 idempotency_mismatch, nothing reserved', async () => {
    const sale = await liveSale({ stock: 5, maxPerUser: 5 });
    const userId = shopper();
    const key = { 'idempotency-key': 'click-3' };
    const first = await buy(sale.id, { userId, json: { quantity: 2 }, headers: key });
    expect(first.status).toBe(202);
    for (const json of [{ quantity: 3 }, {}]) {
      const other = await buy(sale.id, { userId, json, headers: key });
      expect(other).toMatchObject({ status: 422, body: { error: { code: 'idempotency_mismatch', message: expect.stringContaining('2') } } });
    }
    expect(await saleFigures(sale.id)).toMatchObject({ booked: 2, queued: 1 });
    // The first quantity again still gets the first answer.
    expect(await buy(sale.id, { userId, json: { quantity: 2 }, headers: key })).toMatchObject({ status: 202, body: first.body });
  });

  it('lets one quantity win when the same Idempotency-Key races with two', async () => {
    const sale = await liveSale({ stock: 5, maxPerUser: 5 });
    const userId = shopper();
    const key = { 'idempotency-key': 'click-race' };
    const answers = await Promise.all([1, 2, 1, 2].map((quantity) => buy(sale.id, { userId, json: { quantity }, headers: key })));
    const reserved = answers.filter((a) => a.status === 202);
    const won = reserved[0].body;
    expect(reserved.map((a) => a.body)).toEqual(reserved.map(() => won));
    expect(answers.filter((a) => a.status === 422)).toHaveLength(answers.length - reserved.length);
    expect(reserved).toHaveLength(2);
    expect(await saleFigures(sale.id)).toMatchObject({ booked: won.quantity, queued: 1 });
  });

  it('compares the quantity of a keyed retry even once this process remembers the sale as sold out', async () => {
    const sale = await liveSale({ stock: 2, maxPerUser: 5 });
    const userId = shopper();
    const key = { 'idempotency-key': 'click-4' };
    expect(await buy(sale.id, { userId, json: { quantity: 2 }, headers: key })).toMatchObject({ status: 202 });
    // An unkeyed purchase makes this process remember "sold out" for everyone.
    expect(await buy(sale.id, { userId: shopper(), json: {} })).toMatchObject({ status: 409, body: { error: { code: 'sold_out' } } });
    const other = await buy(sale.id, { userId, json: { quantity: 1 }, headers: key });
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'idempotency_mismatch' } } });
    expect(await saleFigures(sale.id)).toMatchObject({ booked: 2, queued: 1 });
  });

  it.each([
    ['no session', {}, 401, 'unauthenticated'],
    ['a forged session', { headers: { cookie: `${SESSION_COOKIE}=eyJhbGciOiJIUzI1NiJ9.e30.bad` } }, 401, 'unauthenticated'],
    ['a foreign Origin', { userId: shopper(), json: {}, headers: { origin: 'https://evil.test' } }, 403, 'forbidden_origin'],
    ['a cross-site fetch', { userId: shopper(), json: {}, headers: { 'sec-fetch-site': 'cross-site' } }, 403, 'forbidden_origin'],
    ['a form post', { userId: shopper(), body: 'quantity=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
    ['a text body', { userId: shopper(), body: '{"quantity":1}' }, 415, 'unsupported_media_type'],
    ['broken JSON', { userId: shopper(), body: '{"quantity":', headers: { 'content-type': 'application/json' } }, 400, 'invalid_request'],
    ['quantity 0', { userId: shopper(), json: { quantity: 0 } }, 400, 'invalid_request'],
    ['quantity 1.5', { userId: shopper(), json: { quantity: 1.5 } }, 400, 'invalid_request'],
    ['quantity "2"', { userId: shopper(), json: { quantity: '2' } }, 400, 'invalid_request'],
    ['an unknown field', { userId: shopper(), json: { quantity: 1, price: 0 } }, 400, 'invalid_request'],
    ['an array body', { userId: shopper(), json: [1] }, 400, 'invalid_request'],
    ['a bad Idempotency-Key', { userId: shopper(), json: {}, headers: { 'idempotency-key': 'x'.repeat(101) } }, 400, 'invalid_request'],
    ['a body over 16 KiB', { userId: shopper(), json: { pad: 'x'.repeat(17_000) } }, 413, 'payload_too_large'],
  ] as const)('refuses %s with %i and changes nothing', async (_name, opts, status, code) => {
    const sale = await liveSale();
    const res = await buy(sale.id, opts);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(await saleFigures(sale.id)).toMatchObject({ booked: 0, queued: 0, admitted: 0 });
  });

  it('a sale this process knows is sold out answers before the body is read', async () => {
    const sale = await liveSale({ stock: 0 });
    expect(await buy(sale.id, { userId: shopper(), json: {} })).toMatchObject({ status: 409, body: { error: { code: 'sold_out' } } });
    // Remembered now: even a body that would be refused as too large is not read.
    const big = await buy(sale.id, { userId: shopper(), json: { pad: 'x'.repeat(17_000) } });
    expect(big).toMatchObject({ status: 409, body: { error: { code: 'sold_out' } } });
    expect(await saleFigures(sale.id)).toMatchObject({ booked: 0, queued: 0 });
  });

  it('answers 404 for an unknown or malformed sale id', async () => {
    for (const saleId of ['no-such-sale', 'BAD ID', '../etc']) {
      const res = await buy(saleId, { userId: shopper(), json: {} });
      expect(res).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    }
  });

  it.each([
    [{ flag: 'off' }, 'not_started'],
    [{ flag: 'paused' }, 'paused'],
    [{ flag: 'ended' }, 'ended'],
    [{ stock: 0 }, 'sold_out'],
  ] as const)('answers 409 for %j', async (overrides, code) => {
    const sale = await liveSale(overrides);
    expect(await buy(sale.id, { userId: shopper(), json: {} })).toMatchObject({ status: 409, body: { error: { code } } });
  });

  it('answers 409 limit_reached past maxPerUser', async () => {
    const sale = await liveSale({ maxPerUser: 1 });
    const userId = shopper();
    await buy(sale.id, { userId, json: {} });
    expect(await buy(sale.id, { userId, json: {} })).toMatchObject({
      status: 409,
      body: { error: { code: 'limit_reached' } },
    });
  });

  it('rate-limits one shopper with 429 and Retry-After', async () => {
    const sale = await liveSale({ stock: 100, maxPerUser: 100 });
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await buy(sale.id, { userId: 'eager', json: {} }));
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].body.error.code).toBe('rate_limited');
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await saleFigures(sale.id)).booked).toBe(results.length - limited.length);
  });
});

describe('GET /api/sales/{id}', () => {
  it('answers the live figures, cacheable for a second', async () => {
    const sale = await storedSale({ stock: 7 });
    await redis.hincrby(saleKeys(sale.id).stock, 'Booked', 2);
    const res = await call(saleStatus, await request(`/api/sales/${sale.id}`), { saleId: sale.id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: sale.id, state: 'live', stock: { total: 7, remaining: 5 }, maxPerUser: 1 });
    expect(Math.abs(Date.parse(res.body.serverTime) - Date.now())).toBeLessThan(5_000);
    expect(res.headers.get('cache-control')).toMatch(/s-maxage=1/);
  });

  it('answers 404 for an unknown sale', async () => {
    const res = await call(saleStatus, await request('/api/sales/nope'), { saleId: 'nope' });
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });
});

describe('GET /api/sales', () => {
  it('lists open sales by start time first, then recently ended ones', async () => {
    await storedSale({ flag: 'ended' });
    await storedSale({ startsAt: new Date(Date.now() + 60_000) });
    const res = await call(saleList, await request('/api/sales'));
    expect(res.status).toBe(200);
    const states: string[] = res.body.map((s: { state: string }) => s.state);
    const firstEnded = states.indexOf('ended');
    expect(firstEnded).toBeGreaterThan(0);
    expect(states.slice(firstEnded).every((s) => s === 'ended')).toBe(true);
    const open = res.body.slice(0, firstEnded).map((s: { startsAt: string }) => s.startsAt);
    expect(open).toEqual([...open].sort());
  });
});

describe('the shopper\'s orders', () => {
  it('answers 401 without a session, 404 for an order id nobody has', async () => {
    for (const res of [
      await call(shopperOrder, await request('/api/orders/any'), { orderId: 'any' }),
      await call(shopperOrders, await request('/api/me/orders')),
    ]) {
      expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    }
    const unknown = await call(shopperOrder, await request('/api/orders/no-such-order', { userId: shopper() }), { orderId: 'no-such-order' });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });
});
