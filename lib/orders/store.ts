import { prisma } from '../db/client';
import type { PrismaClient } from '../db/generated/client';
import type { QueuedOrder } from './order';

export type StoreResult = { inserted: number; units: number };

/**
 * Store one sale's batch in one statement. The order id is the primary key, so an order stored
 * before (a batch requeued after its worker died between the insert and the acknowledgement)
 * is skipped, never doubled. One array parameter per column instead of createMany's one
 * parameter per value: about six times faster for a batch of 1,000 on this machine.
 * Times are UTC, as Prisma writes them.
 */
export async function storeOrders(orders: QueuedOrder[], db: PrismaClient = prisma): Promise<StoreResult> {
  if (orders.length === 0) return { inserted: 0, units: 0 };
  const rows = await db.$queryRaw<{ quantity: number }[]>`
    INSERT INTO orders (id, sale_id, user_id, quantity, reserved_at, confirmed_at, created_at, updated_at)
    SELECT o.id, o.sale_id, o.user_id, o.quantity,
           (to_timestamp(o.reserved_ms / 1000.0) AT TIME ZONE 'UTC')::timestamp(3),
           now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
      FROM unnest(${orders.map((o) => o.orderId)}::text[],
                  ${orders.map((o) => o.saleId)}::text[],
                  ${orders.map((o) => o.userId)}::text[],
                  ${orders.map((o) => o.quantity)}::int[],
                  ${orders.map((o) => o.reservedAt)}::float8[])
           AS o(id, sale_id, user_id, quantity, reserved_ms)
    ON CONFLICT (id) DO NOTHING
    RETURNING quantity`;
  return { inserted: rows.length, units: rows.reduce((sum, r) => sum + r.quantity, 0) };
}

/** PostgreSQL refused the batch because its sale row does not exist (foreign key, 23503). */
export function isMissingSale(err: unknown): boolean {
  const e = err as { code?: string; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  return e?.code === 'P2003' || e?.meta?.driverAdapterError?.cause?.originalCode === '23503';
}
