import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { addSale, saleCommand, saleEdit, saleStats, salesOverview } from '@/lib/admin/api/sales';
import { prisma } from '@/lib/db/client';
import { redis } from '@/lib/redis/client';
import { saleKeys } from '@/lib/redis/keys';
import { purchase } from '@/lib/shop/api/purchase';
import { clearTestKeys, saleFigures } from '@/test/fixtures';
import { call, request } from '@/test/http';

const created: string[] = [];
afterAll(() => clearTestKeys(...created));

// A name of this run's own, so counting rows ignores other runs sharing the database.
const newSale = {
  name: `Limited sneakers ${randomUUID().slice(0, 8)}`,
  priceCents: 12_900,
  stock: 3,
  startsAt: new Date(Date.now() - 1_000).toISOString(),
  maxPerUser: 2,
};

const countMine = () => prisma.sale.count({ where: { name: { in: [newSale.name, ''] } } });

async function create(body: unknown = newSale) {
  const res = await call(addSale, await request('/api/admin/sales', { json: body, admin: true }));
  if (res.body?.id) created.push(res.body.id);
  return res;
}

const act = async (saleId: string, name: string) =>
  call(saleCommand, await request(`/api/admin/sales/${saleId}/${name}`, { method: 'POST', admin: true }), {
    saleId,
    command: name,
  });

const buy = async (saleId: string, userId: string) =>
  call(purchase, await request(`/api/sales/${saleId}/orders`, { json: {}, userId }), { saleId });

describe('admin authentication', () => {
  it.each([
    ['no credentials', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token' }],
    ['a token without Bearer', { authorization: 'wrong' }],
    ['a spoofed middleware header', { 'x-middleware-subrequest': 'middleware:middleware:middleware:middleware:middleware' }],
  ])('refuses %s with 401 and creates nothing', async (_name, headers) => {
    const before = await countMine();
    const res = await call(addSale, await request('/api/admin/sales', { json: newSale, headers }));
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    const list = await call(salesOverview, await request('/api/admin/sales', { headers }));
    expect(list.status).toBe(401);
    expect(await countMine()).toBe(before);
  });
});

describe('admin sales', () => {
  it('creates a sale in PostgreSQL and Redis; it sells at once', async () => {
    const res = await create();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: newSale.name, stock: 3, state: 'live', booked: 0, remaining: 3 });
    expect(await prisma.sale.findUnique({ where: { id: res.body.id } })).not.toBeNull();
    expect(await saleFigures(res.body.id)).toMatchObject({ total: 3, booked: 0 });
    expect((await buy(res.body.id, 'shopper-a')).status).toBe(202);
  });

  it.each([
    ['no name', { ...newSale, name: '' }],
    ['negative stock', { ...newSale, stock: -1 }],
    ['a bad date', { ...newSale, startsAt: 'tomorrow' }],
    ['a date PostgreSQL cannot hold', { ...newSale, startsAt: '-010000-01-01T00:00:00Z' }],
    ['a null start', { ...newSale, startsAt: null }],
    ['a boolean start', { ...newSale, startsAt: true }],
    ['endsAt before startsAt', { ...newSale, endsAt: new Date(0).toISOString() }],
    ['an unknown field', { ...newSale, color: 'red' }],
  ])('refuses %s with 400 and creates nothing', async (_name, body) => {
    const before = await countMine();
    const res = await create(body);
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(await countMine()).toBe(before);
  });

  it('pauses, resumes and ends a sale; shoppers get the matching code', async () => {
    const { body: sale } = await create({ ...newSale, startsAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(sale.state).toBe('scheduled');
    expect((await buy(sale.id, 'early')).body.error.code).toBe('not_started');
    expect((await act(sale.id, 'start')).body.state).toBe('live');
    expect((await buy(sale.id, 'b1')).status).toBe(202);
    expect((await act(sale.id, 'pause')).body.state).toBe('paused');
    expect((await buy(sale.id, 'b2')).body.error.code).toBe('paused');
    expect((await act(sale.id, 'resume')).body.state).toBe('live');
    expect((await buy(sale.id, 'b3')).status).toBe(202);
    expect((await act(sale.id, 'end')).body.state).toBe('ended');
    expect((await buy(sale.id, 'b4')).body.error.code).toBe('ended');
    expect((await act(sale.id, 'start')).status).toBe(409);
    expect((await act(sale.id, 'explode')).status).toBe(404);
  });

  it('refuses to start or resume a sale past its end time, and changes nothing', async () => {
    const { body: sale } = await create({ ...newSale, endsAt: new Date(Date.now() + 300).toISOString() });
    await act(sale.id, 'pause');
    await new Promise((r) => setTimeout(r, 400));
    for (const name of ['start', 'resume']) {
      expect(await act(sale.id, name)).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    }
    expect((await prisma.sale.findUniqueOrThrow({ where: { id: sale.id } })).flag).toBe('paused');
  });

  it('answers 404 for every command, edit and figure of an unknown sale', async () => {
    const saleId = 'no-such-sale';
    const patch = await request(`/api/admin/sales/${saleId}`, { method: 'PATCH', json: { name: 'x' }, admin: true });
    const figures = await request(`/api/admin/sales/${saleId}/stats`, { admin: true });
    for (const res of [
      await act(saleId, 'start'),
      await call(saleEdit, patch, { saleId }),
      await call(saleStats, figures, { saleId }),
    ]) {
      expect(res).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    }
  });

  it('an end racing a resume never reopens the sale; PostgreSQL and Redis agree', async () => {
    for (let round = 0; round < 5; round++) {
      const { body: sale } = await create();
      await act(sale.id, 'pause');
      const [ended, resumed] = await Promise.all([act(sale.id, 'end'), act(sale.id, 'resume')]);
      expect([ended.status, resumed.status]).not.toContain(500);
      const row = await prisma.sale.findUniqueOrThrow({ where: { id: sale.id } });
      if (ended.status === 200) expect(row.flag).toBe('ended');
      const redisFlag = await redis.hget(saleKeys(sale.id).meta, 'flag');
      expect(redisFlag).toBe(row.flag);
    }
  });

  it('raises stock at any time and lowers it only to what is booked', async () => {
    const { body: sale } = await create();
    await buy(sale.id, 'p1');
    await buy(sale.id, 'p2');
    const patch = async (json: unknown) =>
      call(saleEdit, await request(`/api/admin/sales/${sale.id}`, { method: 'PATCH', json, admin: true }), {
        saleId: sale.id,
      });
    expect(await patch({ stock: 1 })).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(await patch({ stock: 2 })).toMatchObject({ status: 200, body: { stock: 2, booked: 2, state: 'sold_out' } });
    expect(await patch({ stock: 10, name: 'More sneakers' })).toMatchObject({
      status: 200,
      body: { stock: 10, remaining: 8, name: 'More sneakers', state: 'live' },
    });
    expect((await patch({ stock: 'many' })).status).toBe(400);
  });

  it('reports stats', async () => {
    const { body: sale } = await create();
    await buy(sale.id, 's1');
    const res = await call(saleStats, await request(`/api/admin/sales/${sale.id}/stats`, { admin: true }), {
      saleId: sale.id,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 3, booked: 1, remaining: 2, admitted: 1, queued: 1, confirmed: 0 });
  });
});
