import { prisma } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { newSaleId } from '../ids';
import { withRedis } from '../redis/client';
import { scopeOf } from '../redis/connect';
import { saleKeys } from '../redis/keys';
import { listAuditForSale, saleChanges, writeAudit, type AuditActor, type AuditRow } from './audit';
import { stateFromRecord } from './catalog';
import type { SaleCommand } from './commands';
import { loadSaleIntoRedis } from './load';
import { reconcileSale } from './reconcile';
import { forgetRefusal, forgetRefusals } from './refusal';
import { revalidateSalePages } from './revalidate';
import type { CreateSaleInput, UpdateSaleInput } from './schema';
import { readLiveFigures } from './status';
import { syncSales, type SyncResult } from './sync';
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
    state: live?.state ?? stateFromRecord(sale, Date.now()),
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
  forgetRefusal(sale.id);
  revalidateSalePages(sale.id);
  const live = await readLiveFigures(sale.id);
  return toAdminSale(sale, live ?? { state: 'scheduled', total, booked });
}

/** Redis's clock, which every web host shares (unlike their own). */
const redisNow = () => withRedis(async (r) => {
  const [seconds, micros] = await r.time();
  return new Date(Number(seconds) * 1000 + Math.floor(Number(micros) / 1000));
});

/**
 * Every admin change goes through here: the row and its audit entry in one transaction, then
 * Redis. The row's
 * updatedAt, which orders loads into Redis, is stamped by Redis's clock: one clock for every
 * web host. `write` gets that stamp. A change that finds the row changed under it (its
 * `where` no longer matches) is a 409, so two admins cannot interleave.
 */
async function saveAudited(
  actor: AuditActor,
  action: string,
  before: SaleRecord | null,
  write: (tx: Prisma.TransactionClient, updatedAt: Date) => Promise<SaleRecord>,
): Promise<AdminSale> {
  const updatedAt = await redisNow();
  let sale: SaleRecord;
  try {
    sale = await prisma.$transaction(async (tx) => {
      const after = await write(tx, updatedAt);
      await writeAudit(tx, { saleId: after.id, actor, action, ...saleChanges(before, after) });
      return after;
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'P2025') {
      throw new AppError('conflict', 'The sale changed meanwhile; reload and try again');
    }
    throw err;
  }
  return saveAndLoad(sale);
}

export async function createSale(input: CreateSaleInput, actor: AuditActor): Promise<AdminSale> {
  return saveAudited(actor, 'create', null, (tx, updatedAt) =>
    tx.sale.create({ data: { ...input, id: newSaleId(), endsAt: input.endsAt ?? null, flag: 'armed', updatedAt } }),
  );
}

export async function updateSale(saleId: string, input: UpdateSaleInput, actor: AuditActor): Promise<AdminSale> {
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
  return saveAudited(actor, 'update', current, (tx, updatedAt) =>
    tx.sale.update({ where: { id: saleId, flag: current.flag }, data: { ...input, updatedAt } }),
  );
}


/** start opens the sale now whatever startsAt says; pause/resume/end set the admin's flag. */
export async function commandSale(saleId: string, command: SaleCommand, actor: AuditActor): Promise<AdminSale> {
  const current = await getSaleRecordOrThrow(saleId);
  if (current.flag === 'ended' && command !== 'end') {
    throw new AppError('conflict', 'The sale has ended; an ended sale cannot be reopened');
  }
  if (command === 'resume' && current.flag !== 'paused') {
    throw new AppError('conflict', 'Only a paused sale can be resumed');
  }
  const flag: SaleFlag = command === 'pause' ? 'paused' : command === 'end' ? 'ended' : 'armed';
  const data: { flag: SaleFlag; startsAt?: Date } = { flag };
  if (command === 'start' || command === 'resume') {
    const now = await redisNow();
    // Opening it would change nothing for shoppers (the clock ends it): say so instead of 200.
    if (current.endsAt && current.endsAt <= now) {
      throw new AppError('conflict', 'The sale is past its end time; move endsAt later first');
    }
    if (command === 'start' && current.startsAt > now) data.startsAt = now;
  }
  // Conditional on the flag read above: an `end` racing a `resume` cannot reopen the sale.
  return saveAudited(actor, command, current, (tx, updatedAt) =>
    tx.sale.update({ where: { id: saleId, flag: current.flag }, data: { ...data, updatedAt } }),
  );
}

/** A row of the dashboard's table: the sale, its live figures, confirmed units and queue depth (orders). */
export type AdminSaleRow = AdminSale & { confirmed: number; queued: number };

export async function listSalesForAdmin(): Promise<AdminSaleRow[]> {
  const sales = await prisma.sale.findMany({ orderBy: { startsAt: 'desc' }, take: 200 });
  const ids = sales.map((s) => s.id);
  const [live, queued, confirmed] = await Promise.all([
    Promise.all(ids.map((id) => readLiveFigures(id))),
    Promise.all(ids.map((id) => queuedOrders(id))),
    prisma.order.groupBy({ by: ['saleId'], where: { saleId: { in: ids } }, _sum: { quantity: true } }),
  ]);
  const confirmedBySale = new Map(confirmed.map((c) => [c.saleId, c._sum.quantity ?? 0]));
  return sales.map((s, i) => ({ ...toAdminSale(s, live[i]), confirmed: confirmedBySale.get(s.id) ?? 0, queued: queued[i] }));
}

export type SaleStats = {
  /** by Redis's clock, so the live view sees a sale open, sell out or end by itself */
  state: SaleState;
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
  /** orders the worker could not store (no sale row in PostgreSQL); the sync requeues them */
  deadLetters: number;
  /**
   * Reconciliation: booked - confirmed - units still only in Redis; 0 when Redis and
   * PostgreSQL agree. null while more than STATS_RECONCILE_MAX_ORDERS orders wait (too many
   * to read on every poll; `npm run reconcile` counts them all).
   */
  difference: number | null;
};

const RATE_WINDOW_S = 10;
const STATS_RECONCILE_MAX_ORDERS = 2_000;

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
  const [reconciled, confirmed, recent] = await Promise.all([
    withRedis((client) => reconcileSale(saleId, { client, maxOrders: STATS_RECONCILE_MAX_ORDERS })),
    prisma.order.aggregate({ where: { saleId }, _sum: { quantity: true }, _count: true }),
    prisma.order.count({ where: { saleId, confirmedAt: { gte: since } } }),
  ]);
  return {
    state: live.state,
    total: live.total,
    booked: live.booked,
    remaining: Math.max(0, live.total - live.booked),
    admitted: live.admitted,
    queued: reconciled?.queued ?? 0,
    confirmed: confirmed._sum.quantity ?? 0,
    confirmedOrders: confirmed._count,
    ordersPerSecond: Math.round((recent / RATE_WINDOW_S) * 10) / 10,
    deadLetters: reconciled?.deadLetters ?? 0,
    difference: reconciled?.difference ?? null,
  };
}

/** The audit log of one sale, newest first; 404 for an unknown sale. */
export async function getSaleAudit(saleId: string): Promise<AuditRow[]> {
  await getSaleRecordOrThrow(saleId);
  return listAuditForSale(saleId);
}

/** One sale with its live figures, for its dashboard page; 404 for an unknown sale. */
export async function getSaleForAdmin(saleId: string): Promise<AdminSale> {
  const sale = await getSaleRecordOrThrow(saleId);
  return toAdminSale(sale, await readLiveFigures(saleId));
}

/** POST /api/admin/sync: the worker's sync, now, on the request client (503 when Redis is down). */
export async function syncSalesNow(): Promise<SyncResult> {
  const result = await withRedis((client) => syncSales(scopeOf(client)));
  forgetRefusals();
  return result;
}
