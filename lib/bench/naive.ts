import { prisma } from '../db/client';
import { newOrderId } from '../ids';

/**
 * The naive design the bench compares against: the purchase done in PostgreSQL alone, a
 * conditional UPDATE of the sale row plus the order insert, in one transaction. For this
 * baseline `sales.stock` counts the units *left* (the bench makes its own sale row), so
 * `stock >= n` is the classic `booked + n <= total`. No per-shopper limit: generous to it.
 */
export async function reserveInPostgres(saleId: string, userId: string, quantity: number): Promise<string | null> {
  const orderId = newOrderId(saleId);
  return prisma.$transaction(async (tx) => {
    const updated = await tx.$executeRaw`
      UPDATE sales SET stock = stock - ${quantity}, updated_at = now()
       WHERE id = ${saleId} AND stock >= ${quantity} AND flag = 'armed'
         AND starts_at <= now() AND (ends_at IS NULL OR ends_at > now())`;
    if (updated === 0) return null;
    await tx.order.create({ data: { id: orderId, saleId, userId, quantity, reservedAt: new Date() } });
    return orderId;
  });
}
