import { prisma } from '../db/client';
import { AppError } from '../errors';
import { withRedis } from '../redis/client';
import { saleKeys } from '../redis/keys';
import { newSaleId } from './ids';
import { loadSaleIntoRedis } from './load';
import type { CreateSaleInput, UpdateSaleInput } from './schema';
import { readLiveFigures } from './status';
import type { SaleFlag, SaleRecord, SaleState } from './types';

export type AdminSale = Omit<SaleRecord, 'startsAt' | 'endsAt'> & {
  startsAt: string;
  endsAt: string | null;
  state: SaleState;
  booked: number;
  remaining: number;
};

function toAdminSale(sale: SaleRecord, live: { state: SaleState; total: number; booked: number } | null): AdminSale {
  const booked = live?.booked ?? 0;
  const total = live?.total ?? sale.stock;
  return {
    ...sale,
    startsAt: sale.startsAt.toISOString(),
    endsAt: sale.endsAt?.toISOString() ?? null,
    state: live?.state ?? (sale.flag === 'ended' ? 'ended' : sale.flag === 'paused' ? 'paused' : 'scheduled'),
    booked,
    remaining: Math.max(0, total - booked),
  };
}

async function getSaleRecordOrThrow(saleId: string): Promise<SaleRecord> {
  const sale = await prisma.sale.findUnique({ where: { id: saleId } });
  if (!sale) throw new AppError('not_found', 'No such sale');
  return sale;
}

/** Write the row, then refresh Redis from it: PostgreSQL stays the source of truth. */
async function saveAndLoad(sale: SaleRecord): Promise<AdminSale> {
  const { total, booked } = await withRedis((client) => loadSaleIntoRedis(sale, { client }));
  const live = await readLiveFigures(sale.id);
  return toAdminSale(sale, live ?? { state: 'scheduled', total, booked });
}

export async function createSale(input: CreateSaleInput): Promise<AdminSale> {
  const sale = await prisma.sale.create({
    data: { ...input, id: newSaleId(), endsAt: input.endsAt ?? null, flag: 'armed' },
  });
  return saveAndLoad(sale);
}

export async function updateSale(saleId: string, input: UpdateSaleInput): Promise<AdminSale> {
  const current = await getSaleRecordOrThrow(saleId);
  const startsAt = input.startsAt ?? current.startsAt;
  const endsAt = input.endsAt === undefined ? current.endsAt : input.endsAt;
  if (endsAt && endsAt <= startsAt) throw new AppError('invalid_request', 'endsAt must be after startsAt');
  if (input.stock !== undefined) {
    const live = await readLiveFigures(saleId);
    const booked = live?.booked ?? 0;
    if (input.stock < booked) {
      throw new AppError('conflict', `Stock can be lowered only to what is already booked (${booked})`);
    }
  }
  const sale = await prisma.sale.update({ where: { id: saleId }, data: input });
  return saveAndLoad(sale);
}

const redisNow = () => withRedis(async (r) => {
  const [seconds, micros] = await r.time();
  return new Date(Number(seconds) * 1000 + Math.floor(Number(micros) / 1000));
});

export type SaleCommand = 'start' | 'pause' | 'resume' | 'end';

/** start opens the sale now whatever startsAt says; pause/resume/end set the admin's flag. */
export async function commandSale(saleId: string, command: SaleCommand): Promise<AdminSale> {
  const current = await getSaleRecordOrThrow(saleId);
  if (current.flag === 'ended' && command !== 'end') {
    throw new AppError('conflict', 'The sale has ended; an ended sale cannot be reopened');
  }
  if (command === 'resume' && current.flag !== 'paused') {
    throw new AppError('conflict', 'Only a paused sale can be resumed');
  }
  const flag: SaleFlag = command === 'pause' ? 'paused' : command === 'end' ? 'ended' : 'armed';
  const data: { flag: SaleFlag; startsAt?: Date } = { flag };
  if (command === 'start') {
    const now = await redisNow();
    if (current.startsAt > now) data.startsAt = now;
  }
  const sale = await prisma.sale.update({ where: { id: saleId }, data });
  return saveAndLoad(sale);
}

export async function listSalesForAdmin(): Promise<AdminSale[]> {
  const sales = await prisma.sale.findMany({ orderBy: { startsAt: 'desc' }, take: 200 });
  const live = await Promise.all(sales.map((s) => readLiveFigures(s.id)));
  return sales.map((s, i) => toAdminSale(s, live[i]));
}

export type SaleStats = {
  total: number;
  booked: number;
  remaining: number;
  admitted: number;
  /** orders still in Redis: waiting in the queue or being stored by a worker */
  queued: number;
  /** units PostgreSQL holds */
  confirmed: number;
  confirmedOrders: number;
  /** orders stored per second over the last 10 seconds */
  ordersPerSecond: number;
};

const RATE_WINDOW_S = 10;

async function queuedOrders(saleId: string): Promise<number> {
  const k = saleKeys(saleId);
  return withRedis(async (r) => {
    const workers = await r.smembers(k.consumers);
    const lengths = await Promise.all([k.queue, ...workers.map(k.processing)].map((key) => r.llen(key)));
    return lengths.reduce((a, b) => a + b, 0);
  });
}

export async function getSaleStats(saleId: string): Promise<SaleStats> {
  const live = await readLiveFigures(saleId);
  if (!live) {
    await getSaleRecordOrThrow(saleId);
    throw new AppError('conflict', 'The sale is not loaded into Redis yet; run a sync');
  }
  const since = new Date(Date.now() - RATE_WINDOW_S * 1000);
  const [queued, confirmed, recent] = await Promise.all([
    queuedOrders(saleId),
    prisma.order.aggregate({ where: { saleId }, _sum: { quantity: true }, _count: true }),
    prisma.order.count({ where: { saleId, confirmedAt: { gte: since } } }),
  ]);
  return {
    total: live.total,
    booked: live.booked,
    remaining: Math.max(0, live.total - live.booked),
    admitted: live.admitted,
    queued,
    confirmed: confirmed._sum.quantity ?? 0,
    confirmedOrders: confirmed._count,
    ordersPerSecond: Math.round((recent / RATE_WINDOW_S) * 10) / 10,
  };
}
