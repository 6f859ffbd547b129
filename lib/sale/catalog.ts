import { prisma } from '../db/client';
import { readLiveFigures } from './status';
import type { SaleRecord, SaleState } from './types';

export type SaleSummary = {
  id: string;
  name: string;
  priceCents: number;
  startsAt: string;
  endsAt: string | null;
  state: SaleState;
};

const RECENTLY_ENDED_MS = 24 * 3600_000;

/** State of a sale Redis does not hold (not synced yet, or long over), from PostgreSQL alone. */
export function stateFromRecord(sale: SaleRecord, now: number): SaleState {
  if (sale.flag === 'ended' || (sale.endsAt && sale.endsAt.getTime() <= now)) return 'ended';
  if (sale.flag === 'paused') return 'paused';
  return 'scheduled';
}

/** Prisma filter: sales that are not over (not ended by the admin, end time not passed). */
export const notOver = () => ({
  flag: { not: 'ended' as const },
  OR: [{ endsAt: null }, { endsAt: { gt: new Date() } }],
});

const MAX_OPEN = 100;
const MAX_ENDED = 20;

/** GET /api/sales: current and upcoming sales by start time, then those ended in the last day. */
export async function listSales(): Promise<SaleSummary[]> {
  const now = Date.now();
  const [open, ended] = await Promise.all([
    prisma.sale.findMany({ where: notOver(), orderBy: { startsAt: 'asc' }, take: MAX_OPEN }),
    prisma.sale.findMany({
      where: { NOT: notOver(), updatedAt: { gt: new Date(now - RECENTLY_ENDED_MS) } },
      orderBy: { updatedAt: 'desc' },
      take: MAX_ENDED,
    }),
  ]);
  const sales = [...open, ...ended];
  const live = await Promise.all(sales.map((s) => readLiveFigures(s.id)));
  return sales.map((s, i) => ({
    id: s.id,
    name: s.name,
    priceCents: s.priceCents,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt?.toISOString() ?? null,
    state: live[i]?.state ?? stateFromRecord(s, now),
  }));
}
