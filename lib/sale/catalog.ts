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
function stateFromRecord(sale: SaleRecord, now: number): SaleState {
  if (sale.flag === 'ended' || (sale.endsAt && sale.endsAt.getTime() <= now)) return 'ended';
  if (sale.flag === 'paused') return 'paused';
  return 'scheduled';
}

/** GET /api/sales: current and upcoming sales (and those ended in the last day), by start time. */
export async function listSales(): Promise<SaleSummary[]> {
  const now = Date.now();
  const sales = await prisma.sale.findMany({
    where: { OR: [{ endsAt: null }, { endsAt: { gt: new Date(now - RECENTLY_ENDED_MS) } }] },
    orderBy: { startsAt: 'asc' },
    take: 100,
  });
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
