import type { AdminActor } from '../auth/adminSession';
import { prisma } from '../db/client';
import type { Prisma } from '../db/generated/client';
import type { SaleRecord } from './types';

// The audit log: one row per admin action, written in the transaction of the change itself
// (lib/sale/admin.ts does it through one helper), so no change goes unrecorded.
export type AuditActor = AdminActor;

export type AuditEntry = {
  saleId: string | null;
  actor: AuditActor;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

export type AuditRow = AuditEntry & { id: string; createdAt: string };

const AUDITED_FIELDS = [
  'name',
  'description',
  'imageUrl',
  'priceCents',
  'stock',
  'startsAt',
  'endsAt',
  'maxPerUser',
  'flag',
] as const satisfies readonly (keyof SaleRecord)[];

const plain = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/** The fields an action changed, before and after; every field for a new sale. */
export function saleChanges(before: SaleRecord | null, after: SaleRecord): Pick<AuditEntry, 'before' | 'after'> {
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const field of AUDITED_FIELDS) {
    const [a, b] = [plain(before?.[field] ?? null), plain(after[field] ?? null)];
    if (before && a === b) continue;
    was[field] = a;
    now[field] = b;
  }
  return { before: before ? was : null, after: now };
}

export async function writeAudit(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      ...entry,
      before: (entry.before ?? undefined) as Prisma.InputJsonObject | undefined,
      after: (entry.after ?? undefined) as Prisma.InputJsonObject | undefined,
    },
  });
}

/** GET /api/admin/sales/{id}/audit: newest first. */
export async function listAuditForSale(saleId: string, take = 200): Promise<AuditRow[]> {
  const rows = await prisma.auditLog.findMany({ where: { saleId }, orderBy: { createdAt: 'desc' }, take });
  return rows.map((r) => ({
    id: r.id,
    saleId: r.saleId,
    actor: r.actor as AuditActor,
    action: r.action,
    before: r.before as AuditEntry['before'],
    after: r.after as AuditEntry['after'],
    createdAt: r.createdAt.toISOString(),
  }));
}
